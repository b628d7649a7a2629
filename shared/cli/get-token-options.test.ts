import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGetTokenArgs } from './get-token-flags.js';
import { MAX_TIMEOUT_MS, resolveGetTokenOptions, toTokenRequest, validateGetTokenOptions, type GetTokenOptions } from './get-token-options.js';

const BASE = ['--server-id', 'srv'];

function resolve(argv: string[], env: Record<string, string>): GetTokenOptions {
  const parsed = parseGetTokenArgs([...BASE, ...argv]);
  assert.deepEqual(parsed.errors, []);
  return resolveGetTokenOptions(parsed, env);
}

// The precedence table of kubelogin's UpdateFromEnv: env applied after flags, empty counts as set,
// AZURE_* beats AAD_*, Terraform names only with --use-azurerm-env-vars, workload identity env
// only for login workloadidentity, --disable-environment-override turns all of it off.
const table: Array<{ name: string; argv: string[]; env: Record<string, string>; expect: Partial<GetTokenOptions> }> = [
  { name: 'defaults', argv: [], env: {}, expect: { login: 'devicecode', environment: 'AzurePublicCloud', timeoutMs: 60_000, cacheDir: '' } },
  { name: 'flag only', argv: ['--client-id', 'flag'], env: {}, expect: { clientId: 'flag' } },
  { name: 'AAD_ env beats flag', argv: ['--client-id', 'flag'], env: { AAD_SERVICE_PRINCIPAL_CLIENT_ID: 'aad' }, expect: { clientId: 'aad' } },
  { name: 'AZURE_ beats AAD_', argv: ['--client-id', 'flag'], env: { AAD_SERVICE_PRINCIPAL_CLIENT_ID: 'aad', AZURE_CLIENT_ID: 'azure' }, expect: { clientId: 'azure' } },
  { name: 'empty env var counts as set', argv: ['--client-id', 'flag'], env: { AZURE_CLIENT_ID: '' }, expect: { clientId: '' } },
  { name: 'secret: AZURE_ beats AAD_ beats flag', argv: ['--client-secret', 'f'], env: { AAD_SERVICE_PRINCIPAL_CLIENT_SECRET: 'a', AZURE_CLIENT_SECRET: 'z' }, expect: { clientSecret: 'z' } },
  { name: 'certificate path and password', argv: [], env: { AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE: '/a.pfx', AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pw' }, expect: { clientCertificate: '/a.pfx', clientCertificatePassword: 'pw' } },
  { name: 'tenant from AZURE_TENANT_ID', argv: ['-t', 'flag'], env: { AZURE_TENANT_ID: 'env' }, expect: { tenantId: 'env' } },
  { name: 'ARM_ ignored without --use-azurerm-env-vars', argv: ['--client-id', 'flag'], env: { ARM_CLIENT_ID: 'arm' }, expect: { clientId: 'flag' } },
  { name: 'ARM_ used with --use-azurerm-env-vars', argv: ['--use-azurerm-env-vars'], env: { ARM_CLIENT_ID: 'arm', ARM_CLIENT_SECRET: 's', ARM_CLIENT_CERTIFICATE_PATH: '/c', ARM_CLIENT_CERTIFICATE_PASSWORD: 'p', ARM_TENANT_ID: 't' }, expect: { clientId: 'arm', clientSecret: 's', clientCertificate: '/c', clientCertificatePassword: 'p', tenantId: 't' } },
  { name: 'AZURE_ ignored with --use-azurerm-env-vars', argv: ['--use-azurerm-env-vars', '--client-id', 'flag'], env: { AZURE_CLIENT_ID: 'azure', AZURE_TENANT_ID: 'azt' }, expect: { clientId: 'flag', tenantId: '' } },
  { name: 'ropc user: AZURE_USERNAME beats AAD_USER_PRINCIPAL_NAME', argv: ['--username', 'f'], env: { AAD_USER_PRINCIPAL_NAME: 'a', AZURE_USERNAME: 'z' }, expect: { username: 'z' } },
  { name: 'ropc password from AAD_USER_PRINCIPAL_PASSWORD', argv: [], env: { AAD_USER_PRINCIPAL_PASSWORD: 'p' }, expect: { password: 'p' } },
  { name: 'AAD_LOGIN_METHOD beats --login', argv: ['--login', 'spn'], env: { AAD_LOGIN_METHOD: 'msi' }, expect: { login: 'msi' } },
  { name: 'login names keep their case', argv: [], env: { AAD_LOGIN_METHOD: 'SPN' }, expect: { login: 'SPN' } },
  { name: 'workload env applies to workloadidentity', argv: ['-l', 'workloadidentity', '--client-id', 'f'], env: { AZURE_CLIENT_ID: 'wi', AZURE_FEDERATED_TOKEN_FILE: '/t', AZURE_AUTHORITY_HOST: 'https://a/' }, expect: { clientId: 'wi', federatedTokenFile: '/t', authorityHost: 'https://a/' } },
  { name: 'workload env ignored for other logins', argv: ['-l', 'spn', '--federated-token-file', '/f'], env: { AZURE_FEDERATED_TOKEN_FILE: '/t', AZURE_AUTHORITY_HOST: 'https://a/' }, expect: { federatedTokenFile: '/f', authorityHost: '' } },
  { name: 'workload env follows AAD_LOGIN_METHOD', argv: ['-l', 'spn'], env: { AAD_LOGIN_METHOD: 'workloadidentity', AZURE_FEDERATED_TOKEN_FILE: '/t' }, expect: { login: 'workloadidentity', federatedTokenFile: '/t' } },
  { name: 'AZURE_CLI_TIMEOUT beats --timeout', argv: ['--timeout', '10s'], env: { AZURE_CLI_TIMEOUT: '2m' }, expect: { timeoutMs: 120_000 } },
  { name: 'bad AZURE_CLI_TIMEOUT is ignored', argv: ['--timeout', '10s'], env: { AZURE_CLI_TIMEOUT: 'soon' }, expect: { timeoutMs: 10_000 } },
  { name: 'KUBECACHEDIR is the default cache dir', argv: [], env: { KUBECACHEDIR: '/kc' }, expect: { cacheDir: '/kc' } },
  { name: '--cache-dir beats KUBECACHEDIR', argv: ['--cache-dir', '/flag'], env: { KUBECACHEDIR: '/kc' }, expect: { cacheDir: '/flag' } },
  { name: '--disable-environment-override turns env off', argv: ['--disable-environment-override', '--client-id', 'flag', '-l', 'spn'], env: { AZURE_CLIENT_ID: 'azure', AAD_LOGIN_METHOD: 'msi', AZURE_CLI_TIMEOUT: '5s' }, expect: { clientId: 'flag', login: 'spn', timeoutMs: 60_000 } },
];

for (const row of table) {
  test(`precedence: ${row.name}`, () => {
    const o = resolve(row.argv, row.env);
    for (const [k, v] of Object.entries(row.expect)) assert.deepEqual(o[k as keyof GetTokenOptions], v, k);
  });
}

const validation: Array<{ name: string; argv: string[]; env?: Record<string, string>; error?: RegExp }> = [
  { name: 'valid minimal', argv: [] },
  { name: 'unknown login', argv: ['-l', 'magic'], error: /'magic' is not a supported login method/ },
  { name: 'case-sensitive login', argv: ['-l', 'DeviceCode'], error: /not a supported login method/ },
  { name: 'authority host without slash', argv: ['--authority-host', 'https://login.example.com'], error: /should have a trailing slash/ },
  { name: 'authority host not absolute', argv: ['--authority-host', 'login.example.com/'], error: /must be an absolute URL/ },
  { name: 'authority host ok', argv: ['--authority-host', 'https://login.example.com/'] },
  { name: 'pop enabled without claims', argv: ['--pop-enabled'], error: /needs --pop-claims/ },
  { name: 'pop claims without enabled', argv: ['--pop-claims', 'u=x'], error: /needs --pop-enabled/ },
  { name: 'pop claims without u', argv: ['--pop-enabled', '--pop-claims', 'a=b'], error: /need the u claim/ },
  { name: 'pop claims malformed', argv: ['--pop-enabled', '--pop-claims', 'u'], error: /key=value/ },
  { name: 'zero timeout', argv: ['--timeout', '0s'], error: /greater than 0/ },
];

for (const row of validation) {
  test(`validate: ${row.name}`, () => {
    const problems = validateGetTokenOptions(resolve(row.argv, row.env ?? {}));
    if (row.error) assert.ok(problems.some((p) => row.error!.test(p)), JSON.stringify(problems));
    else assert.deepEqual(problems, []);
  });
}

test('server id is required', () => {
  const o = resolveGetTokenOptions(parseGetTokenArgs([]), {});
  assert.ok(validateGetTokenOptions(o).some((p) => p.includes('--server-id is required')));
});

test('toTokenRequest drops empty values and keeps secrets for the broker', () => {
  const req = toTokenRequest(resolve(['-l', 'spn', '--client-id', 'c', '--tenant-id', 't', '--legacy'], { AZURE_CLIENT_SECRET: 's' }));
  assert.deepEqual(req, { login: 'spn', serverId: 'srv', timeoutMs: 60_000, clientId: 'c', tenantId: 't', environment: 'AzurePublicCloud', clientSecret: 's', legacy: true });
});

test('a --timeout beyond what a Node timer can hold is capped, not turned into an immediate timeout', async () => {
  for (const [argv, env] of [[['--timeout', '720h'], {}], [[], { AZURE_CLI_TIMEOUT: '100000h' }]] as Array<[string[], Record<string, string>]>) {
    const o = resolve(argv, env);
    assert.equal(o.timeoutMs, MAX_TIMEOUT_MS);
    assert.deepEqual(validateGetTokenOptions(o), []);
    // The client's deadline (timeout plus its grace) must still be a timer that waits.
    const fired = await new Promise<boolean>((done) => {
      const t = setTimeout(() => done(true), o.timeoutMs + 5_000);
      setTimeout(() => {
        clearTimeout(t);
        done(false);
      }, 30);
    });
    assert.equal(fired, false);
  }
  assert.equal(resolve(['--timeout', '90s'], {}).timeoutMs, 90_000);
});
