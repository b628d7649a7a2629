/**
 * Parity with Azure kubelogin v0.2.x `convert-kubeconfig` (pkg/internal/converter/convert_test.go
 * cases, re-expressed as data). Each case writes a real kubeconfig with two users (aks1, aks2)
 * in the same shape, runs our command in-process, reads the file back and checks the exact args
 * in the order kubelogin's convert.go writes them (kubelogin's own test only checks membership).
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runConvert } from '../../shared/kubeconfig/convert-command.js';
import { KUBETRAY_INSTALL_HINT } from '../../shared/kubeconfig/convert-user.js';
import { buildKubeconfig, captureIo, makeTempDir, readYaml, removeDir, userOf, writeYaml, type UserSpec } from '../support/kubeconfig-fixtures.js';

const ENV_NAME = 'foo';
const SERVER = 'serverID';
const CLIENT = 'clientID';
const SP_CLIENT = 'spClientID';
const TENANT = 'tenantID';
const SECRET = 'foosecret';
const CERT = '/tmp/clientcert';
const CERT_PASSWORD = 'clientcertsecret';
const USERNAME = 'foo123';
const PASSWORD = 'foobar';
const MSI_ID = '/msi/resource/id';
const AUTHORITY = 'https://login.microsoftonline.com/';
const TOKEN_FILE = '/tmp/file';
const CACHE_DIR = '/tmp/token_dir';
const AZ_DIR = '/tmp/foo';

const ap = (mode?: string, withEnv = true): Record<string, string> => {
  const c: Record<string, string> = { 'apiserver-id': SERVER, 'client-id': CLIENT, 'tenant-id': TENANT };
  if (withEnv) c.environment = ENV_NAME;
  if (mode !== undefined) c['config-mode'] = mode;
  return c;
};
const DC_ARGS = ['get-token', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--login', 'devicecode'];
const DC_ARGS_NO_ENV = ['get-token', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'devicecode'];
const CLI_ARGS_FULL = ['get-token', '--environment', ENV_NAME, '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'azurecli'];
const t = (...args: string[]): string[] => ['get-token', ...args];

interface Case {
  name: string;
  authProvider?: Record<string, string>;
  execArgs?: string[];
  command?: string;
  installHint?: string;
  execEnv?: Array<{ name: string; value: string }>;
  flags?: string[];
  env?: Record<string, string>;
  /** Exact args written to aks1 (and aks2 unless --context). Undefined: user must stay as it was. */
  expectedArgs?: string[];
  expectedCommand?: string;
  expectedInstallHint?: string;
  expectedEnv?: Array<{ name: string; value: string }>;
  expectedApiVersion?: string;
  expectedError?: string;
  otherUser?: UserSpec;
}

const CASES: Case[] = [
  // --- non-Azure users are left alone
  { name: 'non azure kubeconfig (other auth-provider)', authProvider: { 'idp-issuer-url': 'https://issuer.example' }, command: 'oidc-provider' },
  { name: 'non azure kubeconfig in exec format with install hint', execArgs: ['--bar'], command: 'foo', installHint: 'foo install hint' },
  // --- legacy azure auth-provider
  { name: 'legacy azure auth to msi', authProvider: ap('0'), flags: ['--login', 'msi'], expectedArgs: t('--login', 'msi', '--server-id', SERVER) },
  { name: 'legacy azure auth to msi gets our install hint', authProvider: ap('0'), flags: ['-l', 'msi'], expectedArgs: t('--login', 'msi', '--server-id', SERVER), expectedInstallHint: KUBETRAY_INSTALL_HINT },
  { name: 'legacy azure auth to msi with client-id override', authProvider: ap('0'), flags: ['--login', 'msi', '--client-id', 'msi-client-id'], expectedArgs: t('--login', 'msi', '--server-id', SERVER, '--client-id', 'msi-client-id') },
  { name: 'legacy azure auth to workload identity', authProvider: ap('0'), flags: ['--login', 'workloadidentity'], expectedArgs: t('--login', 'workloadidentity', '--server-id', SERVER) },
  {
    name: 'legacy azure auth to workload identity with overrides',
    authProvider: ap('0'),
    flags: ['--login', 'workloadidentity', '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--authority-host', AUTHORITY, '--federated-token-file', TOKEN_FILE],
    expectedArgs: t('--login', 'workloadidentity', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--authority-host', AUTHORITY, '--federated-token-file', TOKEN_FILE),
  },
  { name: 'legacy azure auth to spn without environment', authProvider: ap('1', false), flags: ['--login', 'spn', '--client-id', SP_CLIENT], expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT) },
  {
    name: 'legacy azure auth to spn with client secret',
    authProvider: ap('1'),
    flags: ['--login', 'spn', '--client-id', SP_CLIENT, '--client-secret', SECRET],
    expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--client-secret', SECRET),
  },
  {
    name: 'legacy azure auth to spn with client certificate',
    authProvider: ap('1'),
    flags: ['--login', 'spn', '--client-id', SP_CLIENT, '--client-certificate', CERT],
    expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--client-certificate', CERT),
  },
  {
    name: 'legacy azure auth to spn with password-protected client certificate',
    authProvider: ap('1'),
    flags: ['--login', 'spn', '--client-id', SP_CLIENT, '--client-certificate', CERT, '--client-certificate-password', CERT_PASSWORD],
    expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--client-certificate', CERT, '--client-certificate-password', CERT_PASSWORD),
  },
  { name: 'legacy azure auth to ropc', authProvider: ap('1'), flags: ['--login', 'ropc'], expectedArgs: t('--login', 'ropc', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  {
    name: 'legacy azure auth to ropc with username and password',
    authProvider: ap('1'),
    flags: ['--login', 'ropc', '--username', USERNAME, '--password', PASSWORD],
    expectedArgs: t('--login', 'ropc', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--username', USERNAME, '--password', PASSWORD),
  },
  { name: 'legacy azure auth to azurecli drops the tenant', authProvider: ap('1'), flags: ['--login', 'azurecli'], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER) },
  { name: 'legacy azure auth to azd', authProvider: ap('1'), flags: ['--login', 'azd'], expectedArgs: t('--login', 'azd', '--server-id', SERVER) },
  { name: 'legacy azure auth to azurecli with --tenant-id', authProvider: ap('1'), flags: ['--login', 'azurecli', '--tenant-id', TENANT], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--tenant-id', TENANT) },
  { name: 'legacy azure auth to azd with --tenant-id', authProvider: ap('1'), flags: ['--login', 'azd', '--tenant-id', TENANT], expectedArgs: t('--login', 'azd', '--server-id', SERVER, '--tenant-id', TENANT) },
  { name: 'legacy azure auth to azurecli with --token-cache-dir', authProvider: ap('1'), flags: ['--login', 'azurecli', '--token-cache-dir', CACHE_DIR], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--cache-dir', CACHE_DIR) },
  {
    name: 'legacy azure auth to devicecode with redundant arguments',
    authProvider: ap('0'),
    flags: ['--environment', ENV_NAME, '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--client-secret', SECRET, '--client-certificate', CERT, '--client-certificate-password', CERT_PASSWORD, '--username', USERNAME, '--password', PASSWORD, '--login', 'devicecode'],
    expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy'),
  },
  {
    name: 'legacy azure auth with config-mode "1" to devicecode with --legacy',
    authProvider: { 'config-mode': '1' },
    flags: ['--environment', ENV_NAME, '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'devicecode', '--legacy'],
    expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy'),
  },
  { name: 'legacy azure auth without --login defaults to devicecode (no config-mode: legacy)', authProvider: ap(), expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy') },
  { name: 'legacy azure auth config-mode "0" without --login: devicecode --legacy', authProvider: ap('0'), expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy') },
  { name: 'legacy azure auth config-mode "1" without --login: devicecode without --legacy', authProvider: ap('1'), expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  // --- exec kubelogin
  { name: 'exec azurecli to azurecli', execArgs: CLI_ARGS_FULL, flags: ['--login', 'azurecli'], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER) },
  { name: 'exec azurecli to azurecli keeps an existing install hint', execArgs: CLI_ARGS_FULL, installHint: 'Preserve this install hint', flags: ['--login', 'azurecli'], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER), expectedInstallHint: 'Preserve this install hint' },
  { name: 'exec azurecli to azurecli with --tenant-id', execArgs: CLI_ARGS_FULL, flags: ['--login', 'azurecli', '--tenant-id', TENANT], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--tenant-id', TENANT) },
  { name: 'exec azurecli to azurecli with --environment ignored', execArgs: t('--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'azurecli'), flags: ['--login', 'azurecli', '--environment', ENV_NAME], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER) },
  { name: 'exec azurecli to azurecli with args as overrides', execArgs: t(), flags: ['--login', 'azurecli', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--tenant-id', TENANT) },
  { name: 'exec azurecli to devicecode', execArgs: t('--server-id', SERVER, '--login', 'azurecli'), flags: ['--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'devicecode'], expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT) },
  { name: 'exec azurecli to devicecode keeps an existing install hint', execArgs: t('--server-id', SERVER, '--login', 'azurecli'), installHint: 'Preserve this install hint', flags: ['--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'devicecode'], expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT), expectedInstallHint: 'Preserve this install hint' },
  { name: 'exec azurecli to devicecode with args as overrides', execArgs: t('--login', 'azurecli'), flags: ['--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME], expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'exec devicecode to devicecode without override', execArgs: DC_ARGS, expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'exec devicecode to devicecode with --legacy', execArgs: DC_ARGS, flags: ['--legacy'], expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy') },
  { name: 'exec devicecode with --legacy keeps --legacy', execArgs: [...DC_ARGS, '--legacy'], flags: ['--login', 'devicecode'], expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy') },
  { name: 'exec devicecode to azurecli', execArgs: DC_ARGS, flags: ['--login', 'azurecli'], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER) },
  { name: 'exec devicecode to azurecli with --token-cache-dir', execArgs: DC_ARGS, flags: ['--login', 'azurecli', '--token-cache-dir', CACHE_DIR], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--cache-dir', CACHE_DIR) },
  { name: 'exec devicecode with --cache-dir to azurecli', execArgs: [...DC_ARGS, '--cache-dir', CACHE_DIR], flags: ['--login', 'azurecli'], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--cache-dir', CACHE_DIR) },
  { name: 'exec devicecode to azurecli with --cache-dir', execArgs: DC_ARGS, flags: ['--login', 'azurecli', '--cache-dir', CACHE_DIR], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--cache-dir', CACHE_DIR) },
  {
    name: 'exec devicecode with --token-cache-dir to azurecli writes --cache-dir',
    execArgs: t('--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--token-cache-dir', CACHE_DIR, '--environment', ENV_NAME, '--login', 'devicecode'),
    flags: ['--login', 'azurecli'],
    expectedArgs: t('--login', 'azurecli', '--server-id', SERVER, '--cache-dir', CACHE_DIR),
  },
  { name: 'exec devicecode to spn', execArgs: DC_ARGS, flags: ['--login', 'spn'], expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'exec devicecode to spn without environment', execArgs: DC_ARGS_NO_ENV, flags: ['--login', 'spn'], expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT) },
  { name: 'exec devicecode to spn with client id', execArgs: DC_ARGS, flags: ['--login', 'spn', '--client-id', SP_CLIENT], expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'exec devicecode to spn with --legacy', execArgs: DC_ARGS, flags: ['--login', 'spn', '--client-id', SP_CLIENT, '--legacy'], expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy') },
  { name: 'exec devicecode to msi', execArgs: DC_ARGS, flags: ['--login', 'msi'], expectedArgs: t('--login', 'msi', '--server-id', SERVER) },
  { name: 'exec devicecode to msi with client id', execArgs: DC_ARGS, flags: ['--login', 'msi', '--client-id', SP_CLIENT], expectedArgs: t('--login', 'msi', '--server-id', SERVER, '--client-id', SP_CLIENT) },
  { name: 'exec devicecode to msi with identity resource id', execArgs: DC_ARGS, flags: ['--login', 'msi', '--identity-resource-id', MSI_ID], expectedArgs: t('--login', 'msi', '--server-id', SERVER, '--identity-resource-id', MSI_ID) },
  { name: 'exec devicecode to ropc', execArgs: DC_ARGS, flags: ['--login', 'ropc'], expectedArgs: t('--login', 'ropc', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'exec devicecode to ropc with --legacy', execArgs: DC_ARGS, flags: ['--login', 'ropc', '--legacy'], expectedArgs: t('--login', 'ropc', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--legacy') },
  {
    name: 'exec devicecode to ropc with username and password',
    execArgs: DC_ARGS,
    flags: ['--login', 'ropc', '--username', USERNAME, '--password', PASSWORD],
    expectedArgs: t('--login', 'ropc', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--username', USERNAME, '--password', PASSWORD),
  },
  { name: 'exec devicecode to workload identity', execArgs: DC_ARGS, flags: ['--login', 'workloadidentity'], expectedArgs: t('--login', 'workloadidentity', '--server-id', SERVER) },
  {
    name: 'exec devicecode to workload identity with overrides',
    execArgs: DC_ARGS,
    flags: ['--login', 'workloadidentity', '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--authority-host', AUTHORITY, '--federated-token-file', TOKEN_FILE],
    expectedArgs: t('--login', 'workloadidentity', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT, '--authority-host', AUTHORITY, '--federated-token-file', TOKEN_FILE),
  },
  { name: 'exec devicecode to interactive', execArgs: DC_ARGS, flags: ['--login', 'interactive'], expectedArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'exec devicecode to interactive without environment', execArgs: DC_ARGS_NO_ENV, flags: ['--login', 'interactive'], expectedArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT) },
  {
    name: 'exec devicecode to interactive with overrides',
    execArgs: DC_ARGS,
    flags: ['--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME],
    expectedArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME),
  },
  // --- --context, --azure-config-dir
  { name: 'with --context only that context’s user changes', authProvider: ap('0'), flags: ['--login', 'msi', '--context', 'aks1'], expectedArgs: t('--login', 'msi', '--server-id', SERVER) },
  { name: 'with an unknown --context: error', authProvider: ap('0'), flags: ['--login', 'msi', '--context', 'badContext'], expectedError: 'no context exists with the name: "badContext"' },
  {
    name: 'with --azure-config-dir azurecli users get AZURE_CONFIG_DIR',
    authProvider: ap('0'),
    flags: ['--login', 'azurecli', '--context', 'aks1', '--azure-config-dir', AZ_DIR],
    expectedArgs: t('--login', 'azurecli', '--server-id', SERVER),
    expectedEnv: [{ name: 'AZURE_CONFIG_DIR', value: AZ_DIR }],
  },
  // --- PoP pairing
  { name: 'interactive with only --pop-enabled in the old args: error', execArgs: [...DC_ARGS, '--pop-enabled'], flags: ['--login', 'interactive'], expectedError: '--pop-claims is required when specifying --pop-enabled' },
  { name: 'interactive with only --pop-claims in the old args: error', execArgs: [...DC_ARGS, '--pop-claims', 'u=testhost'], flags: ['--login', 'interactive'], expectedError: '--pop-enabled is required when specifying --pop-claims' },
  {
    name: 'interactive keeps --pop-enabled and --pop-claims from the old args',
    execArgs: [...DC_ARGS, '--pop-enabled', '--pop-claims', 'u=testhost, 1=2'],
    flags: ['--login', 'interactive'],
    expectedArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--pop-enabled', '--pop-claims', 'u=testhost, 1=2'),
  },
  {
    name: 'spn with --pop-enabled and --pop-claims as flags',
    execArgs: DC_ARGS,
    flags: ['--login', 'spn', '--pop-enabled', '--pop-claims', 'u=testhost, 1=2'],
    expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--pop-enabled', '--pop-claims', 'u=testhost, 1=2'),
  },
  {
    name: 'devicecode ignores PoP args of the old azurecli stanza',
    execArgs: t('--server-id', SERVER, '--login', 'azurecli', '--pop-enabled', '--pop-claims', 'u=testhost, 1=2'),
    flags: ['--client-id', CLIENT, '--tenant-id', TENANT, '--login', 'devicecode'],
    expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT),
  },
  {
    name: 'spn with --disable-environment-override',
    execArgs: DC_ARGS,
    flags: ['--login', 'spn', '--disable-environment-override'],
    expectedArgs: t('--login', 'spn', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--disable-environment-override'),
  },
  // --- following convert.go where kubelogin's own table has no case
  {
    name: 'exec devicecode to interactive with --redirect-url and --login-hint',
    execArgs: DC_ARGS,
    flags: ['--login', 'interactive', '--redirect-url', 'http://localhost:8400', '--login-hint', 'me@contoso.com'],
    expectedArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME, '--redirect-url', 'http://localhost:8400', '--login-hint', 'me@contoso.com'),
  },
  {
    name: 'exec interactive keeps --redirect-url and --login-hint from the old args',
    execArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--login-hint', 'me@contoso.com', '--redirect-url', 'http://localhost:8400'),
    flags: ['--login', 'interactive'],
    expectedArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--redirect-url', 'http://localhost:8400', '--login-hint', 'me@contoso.com'),
  },
  {
    name: 'exec interactive to devicecode drops --login-hint',
    execArgs: t('--login', 'interactive', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--login-hint', 'me@contoso.com'),
    expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT),
  },
  { name: 'exec devicecode with --cache-dir to devicecode keeps it', execArgs: [...DC_ARGS, '--cache-dir', CACHE_DIR], expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--cache-dir', CACHE_DIR, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'legacy azure auth without apiserver-id: error', authProvider: { 'client-id': CLIENT, 'tenant-id': TENANT }, expectedError: '--server-id is required' },
  { name: 'exec devicecode without --client-id: error', execArgs: t('--server-id', SERVER, '--tenant-id', TENANT), expectedError: '--client-id is required' },
  { name: 'exec devicecode without --tenant-id: error', execArgs: t('--server-id', SERVER, '--client-id', CLIENT), expectedError: '--tenant-id is required' },
  { name: 'azurepipelines (newer than kubelogin v0.2.x convert): only what was given', execArgs: DC_ARGS, flags: ['--login', 'azurepipelines', '--client-id', SP_CLIENT, '--tenant-id', TENANT], expectedArgs: t('--login', 'azurepipelines', '--server-id', SERVER, '--client-id', SP_CLIENT, '--tenant-id', TENANT) },
  { name: 'kubelogin at a path, any case', execArgs: DC_ARGS, command: '/opt/homebrew/bin/KubeLogin', expectedArgs: t('--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', TENANT, '--environment', ENV_NAME) },
  { name: 'our own kubetray users are re-targeted too', execArgs: DC_ARGS, command: 'kubetray', flags: ['-l', 'azurecli'], expectedArgs: t('--login', 'azurecli', '--server-id', SERVER) },
];

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));

function specFor(c: Case): UserSpec {
  if (c.authProvider) return { authProvider: { name: c.command === 'oidc-provider' ? 'oidc' : 'azure', config: c.authProvider } };
  return { exec: { command: c.command ?? 'kubelogin', args: c.execArgs ?? [], ...(c.installHint ? { installHint: c.installHint } : {}), ...(c.execEnv ? { env: c.execEnv } : {}) } };
}

async function runCase(c: Case): Promise<void> {
  const dir = makeTempDir();
  dirs.push(dir);
  const file = path.join(dir, 'config');
  writeYaml(file, buildKubeconfig({ aks1: specFor(c), aks2: c.otherUser ?? specFor(c) }));
  const before = fs.readFileSync(file, 'utf8');
  const io = captureIo(c.env ?? {}, dir);
  const code = await runConvert(['--kubeconfig', file, ...(c.flags ?? [])], io);
  if (c.expectedError !== undefined) {
    // Missing values, broken PoP pairs in the old args and unknown contexts: kubeconfig problems (exit 9).
    assert.equal(code, 9, io.stderrText());
    assert.ok(io.stderrText().includes(c.expectedError), `stderr: ${io.stderrText()}`);
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'a refused conversion writes nothing');
    return;
  }
  assert.equal(code, 0, io.stderrText());
  const doc = readYaml(file);
  const original = JSON.parse(JSON.stringify(buildKubeconfig({ aks1: specFor(c), aks2: c.otherUser ?? specFor(c) }))) as Record<string, unknown>;
  if (c.expectedArgs === undefined) {
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'a file with nothing to convert is not touched');
    assert.equal(fs.existsSync(file + '.kubetray-backup'), false);
    return;
  }
  const converted = c.flags?.includes('--context') ? ['aks1'] : ['aks1', 'aks2'];
  for (const name of ['aks1', 'aks2']) {
    const user = userOf(doc, name) as Record<string, unknown>;
    if (!converted.includes(name)) {
      assert.deepEqual(user, userOf(original, name), `${name} is not the --context user and must not change`);
      continue;
    }
    assert.equal(user['auth-provider'], undefined, `${name}: auth-provider removed`);
    const exec = user.exec as Record<string, unknown>;
    assert.ok(exec, `${name}: exec written`);
    assert.deepEqual(exec.args, c.expectedArgs, `${name}: args`);
    assert.equal(exec.command, c.expectedCommand ?? 'kubetray');
    assert.equal(exec.apiVersion, c.expectedApiVersion ?? 'client.authentication.k8s.io/v1beta1');
    assert.equal(exec.installHint, c.expectedInstallHint ?? KUBETRAY_INSTALL_HINT);
    assert.deepEqual(exec.env ?? [], c.expectedEnv ?? []);
    assert.equal(exec.interactiveMode, 'IfAvailable');
  }
}

describe('convert-kubeconfig: kubelogin v0.2.x parity table', () => {
  for (const c of CASES) it(c.name, () => runCase(c));
});
