import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGetTokenArgs, GET_TOKEN_FLAGS, getTokenHelp, parseGetTokenArgs, parseGoDuration } from './get-token-flags.js';

test('parses the args az aks get-credentials writes', () => {
  const p = parseGetTokenArgs(['--login', 'devicecode', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630', '--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a', '--tenant-id', 't1', '--environment', 'AzurePublicCloud']);
  assert.deepEqual(p.errors, []);
  assert.deepEqual(p.values, {
    login: 'devicecode',
    serverId: '6dae42f8-4368-4678-94ff-3960e28e3630',
    clientId: '80faf920-1908-4b52-b5ef-a8e7bedfc67a',
    tenantId: 't1',
    environment: 'AzurePublicCloud',
  });
});

const cases: Array<{ name: string; argv: string[]; values?: Record<string, unknown>; error?: RegExp; help?: boolean }> = [
  { name: 'long with =', argv: ['--server-id=abc'], values: { serverId: 'abc' } },
  { name: 'short with space', argv: ['-l', 'spn'], values: { login: 'spn' } },
  { name: 'short glued', argv: ['-lspn'], values: { login: 'spn' } },
  { name: 'short with =', argv: ['-t=tenant'], values: { tenantId: 'tenant' } },
  { name: '-e environment', argv: ['-e', 'AzureChinaCloud'], values: { environment: 'AzureChinaCloud' } },
  { name: 'bool bare', argv: ['--legacy'], values: { legacy: true } },
  { name: 'bool =false', argv: ['--pop-enabled=false'], values: { popEnabled: false } },
  { name: 'bool =1', argv: ['--disable-environment-override=1'], values: { disableEnvironmentOverride: true } },
  { name: 'bool bad value', argv: ['--legacy=yes'], error: /--legacy: expected true or false/ },
  { name: 'bool does not eat next arg', argv: ['--legacy', 'false'], error: /unexpected argument/ },
  { name: 'duration', argv: ['--timeout', '1m30s'], values: { timeout: 90_000 } },
  { name: 'duration ms', argv: ['--timeout=500ms'], values: { timeout: 500 } },
  { name: 'bad duration', argv: ['--timeout', '60'], error: /use a duration such as 60s/ },
  { name: 'deprecated --token-cache-dir', argv: ['--token-cache-dir', '/c'], values: { cacheDir: '/c' } },
  { name: '--cache-dir', argv: ['--cache-dir=/d'], values: { cacheDir: '/d' } },
  { name: 'string takes next arg even if dash', argv: ['--client-secret', '-weird-'], values: { clientSecret: '-weird-' } },
  { name: 'missing value', argv: ['--server-id'], error: /flag needs an argument: --server-id/ },
  { name: 'unknown long', argv: ['--nope'], error: /unknown flag: --nope/ },
  { name: 'unknown short', argv: ['-x'], error: /unknown shorthand flag: 'x'/ },
  { name: 'klog -v accepted', argv: ['-v', '5', '--login=msi'], values: { verbosity: '5', login: 'msi' } },
  { name: 'later flag wins', argv: ['-l', 'spn', '--login', 'msi'], values: { login: 'msi' } },
  { name: 'help', argv: ['--help'], values: {}, help: true },
  { name: '-- ends flags', argv: ['--', '--login'], error: /unexpected argument\(s\): --login/ },
  { name: 'all the rest', argv: ['--redirect-url', 'http://localhost:8400', '--login-hint', 'a@b', '--disable-instance-discovery', '--identity-resource-id', '/sub/x', '--federated-token-file', '/f', '--pop-claims', 'u=/x', '--use-azurerm-env-vars', '--authority-host', 'https://h/', '--client-certificate', '/c.pfx', '--client-certificate-password', 'pw', '--username', 'u', '--password', 'p'], values: { redirectUrl: 'http://localhost:8400', loginHint: 'a@b', disableInstanceDiscovery: true, identityResourceId: '/sub/x', federatedTokenFile: '/f', popClaims: 'u=/x', useAzurermEnvVars: true, authorityHost: 'https://h/', clientCertificate: '/c.pfx', clientCertificatePassword: 'pw', username: 'u', password: 'p' } },
];

for (const c of cases) {
  test(`parse: ${c.name}`, () => {
    const p = parseGetTokenArgs(c.argv);
    if (c.error) {
      assert.ok(p.errors.some((e) => c.error!.test(e)), JSON.stringify(p.errors));
    } else {
      assert.deepEqual(p.errors, []);
      assert.deepEqual(p.values, c.values);
    }
    if (c.help !== undefined) assert.equal(p.help, c.help);
  });
}

test('Go durations', () => {
  assert.equal(parseGoDuration('60s'), 60_000);
  assert.equal(parseGoDuration('1h'), 3_600_000);
  assert.equal(parseGoDuration('1.5m'), 90_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration(''), undefined);
  assert.equal(parseGoDuration('5 s'), undefined);
  assert.equal(parseGoDuration('s'), undefined);
});

test('formatGetTokenArgs round-trips through the parser', () => {
  const argv = ['--login', 'spn', '--server-id', 's', '--legacy', '--timeout', '90s', '--cache-dir', '/c'];
  const parsed = parseGetTokenArgs(argv);
  const again = parseGetTokenArgs(formatGetTokenArgs(parsed.values));
  assert.deepEqual(again.values, parsed.values);
});

test('every flag is in the help text, with its env vars', () => {
  const help = getTokenHelp();
  for (const f of GET_TOKEN_FLAGS) assert.ok(help.includes(`--${f.name}`), f.name);
  assert.ok(help.includes('AAD_SERVICE_PRINCIPAL_CLIENT_SECRET'));
});
