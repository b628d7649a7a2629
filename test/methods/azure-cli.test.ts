/**
 * -l azurecli and -l azd against fake-az-cli / fake-azd: MOCKS of the Azure CLI and the Azure
 * Developer CLI, which cannot be installed here (test/support/methods-fake-cli.ts). The code
 * under test spawns them for real (no shell) through PATH.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../shared/core/app-error.js';
import { acquireAzureCliToken, azureCliArgs } from '../../shared/auth/flows/azure-cli-flow.js';
import { acquireAzdToken, azdArgs } from '../../shared/auth/flows/azd-flow.js';
import { parseAzAccessToken, parseAzLocalTime } from '../../shared/auth/flows/azure-cli-output.js';
import { createFakeCli, fakeJwt, type FakeCli } from '../support/methods-fake-cli.js';

const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';
let fake: FakeCli;
before(() => {
  fake = createFakeCli();
});
after(() => fake.dispose());

const env = (): NodeJS.ProcessEnv => ({ ...process.env, PATH: fake.path });
const token = fakeJwt({ tid: 'tenant-a', oid: 'oid-1', upn: 'alice@contoso.com', aud: SERVER });

test('azurecli: argv, AZURE_CONFIG_DIR, expires_on and account', async () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  fake.setScenario('az', { stdout: JSON.stringify({ accessToken: token, expiresOn: '2099-01-01 00:00:00.000000', expires_on: exp, tenant: 'tenant-a', tokenType: 'Bearer' }) });
  const t = await acquireAzureCliToken({ serverId: SERVER, tenantId: 'tenant-a', azureConfigDir: '/tmp/az-profile-a', env: env() });
  assert.equal(t.accessToken, token);
  assert.equal(t.expiresOn, exp * 1000, 'expires_on (epoch) wins over the local-time expiresOn');
  assert.deepEqual(t.account, { username: 'alice@contoso.com', homeAccountId: 'oid-1.tenant-a', tenantId: 'tenant-a' });
  const call = fake.calls().at(-1)!;
  assert.deepEqual(call.argv, ['account', 'get-access-token', '--resource', SERVER, '--tenant', 'tenant-a', '-o', 'json']);
  assert.equal(call.azureConfigDir, '/tmp/az-profile-a');
});

test('azurecli: older az without expires_on -> local time parsed', async () => {
  fake.setScenario('az', { stdout: JSON.stringify({ accessToken: token, expiresOn: '2031-02-03 04:05:06.789000' }) });
  const t = await acquireAzureCliToken({ serverId: `${SERVER}/.default`, env: env() });
  assert.equal(t.expiresOn, new Date(2031, 1, 3, 4, 5, 6, 789).getTime());
  assert.deepEqual(fake.calls().at(-1)!.argv, ['account', 'get-access-token', '--resource', SERVER, '-o', 'json']);
  assert.ok(Number.isNaN(parseAzLocalTime('tomorrow')));
  assert.throws(() => parseAzAccessToken('{"accessToken":"x"}'), AppError);
});

test('azurecli: not signed in -> interaction-required that says `az login --tenant`', async () => {
  fake.setScenario('az', { exitCode: 1, stderr: "ERROR: Please run 'az login' to setup account.\n" });
  await assert.rejects(acquireAzureCliToken({ serverId: SERVER, tenantId: 'tenant-b', env: env() }), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'auth/interaction-required');
    assert.match(e.message, /run `az login --tenant tenant-b`/);
    return true;
  });
  fake.setScenario('az', { exitCode: 1, stderr: 'ERROR: something else broke\n' });
  await assert.rejects(acquireAzureCliToken({ serverId: SERVER, env: env() }), (e: unknown) => e instanceof AppError && e.code === 'auth/failed' && /something else broke/.test(e.message) && /az login/.test(e.message));
});

test('azurecli: --timeout kills a hung az; a missing az says how to install', async () => {
  fake.setScenario('az', { hang: true });
  await assert.rejects(acquireAzureCliToken({ serverId: SERVER, env: env(), timeoutMs: 300 }), (e: unknown) => e instanceof AppError && e.code === 'auth/timeout');
  await assert.rejects(acquireAzureCliToken({ serverId: SERVER, env: { ...process.env, PATH: '/nonexistent' } }), (e: unknown) => e instanceof AppError && e.code === 'auth/unsupported-method' && /aka\.ms\/azure-cli/.test(e.message));
});

test('azurecli/azd: arguments that could smuggle options or shell syntax are refused', () => {
  for (const bad of ['x; rm -rf /', '--query', 'a b', '$(id)']) {
    assert.throws(() => azureCliArgs({ serverId: bad }), (e: unknown) => e instanceof AppError && e.code === 'cli/invalid-flag', bad);
  }
  assert.throws(() => azdArgs({ serverId: SERVER, tenantId: 'a&b' }), AppError);
});

test('azd: argv with --no-prompt and scope, RFC 3339 expiry, login hint on failure', async () => {
  fake.setScenario('azd', { stdout: JSON.stringify({ token, expiresOn: '2031-02-03T04:05:06Z' }) });
  const t = await acquireAzdToken({ serverId: SERVER, tenantId: 'tenant-a', env: env() });
  assert.equal(t.accessToken, token);
  assert.equal(t.expiresOn, Date.UTC(2031, 1, 3, 4, 5, 6));
  assert.deepEqual(fake.calls().at(-1)!.argv, ['auth', 'token', '--output', 'json', '--no-prompt', '--scope', `${SERVER}/.default`, '--tenant-id', 'tenant-a']);
  fake.setScenario('azd', { exitCode: 1, stderr: 'ERROR: fetching token: not logged in, run `azd auth login` to login\n' });
  await assert.rejects(acquireAzdToken({ serverId: SERVER, env: env() }), (e: unknown) => e instanceof AppError && e.code === 'auth/interaction-required' && /azd auth login/.test(e.message));
});

test('azurecli: the token never appears in an error, even when az prints it to stderr', async () => {
  fake.setScenario('az', { exitCode: 1, stderr: `ERROR: weird failure ${token}\n` });
  await assert.rejects(acquireAzureCliToken({ serverId: SERVER, env: env() }), (e: unknown) => e instanceof AppError && !e.message.includes(token));
});

test('azurecli --timeout kills the whole process tree (az is a launcher around Python)', { skip: process.platform === 'win32' ? 'process groups are Unix' : false }, async () => {
  // fake-az-cli spawns a grandchild that would outlive a kill of the launcher alone.
  const marker = `kubetray-grandchild-${process.pid}-${Date.now()}`;
  fake.setScenario('az', { spawnGrandchild: marker, hang: true });
  await assert.rejects(acquireAzureCliToken({ serverId: SERVER, env: env(), timeoutMs: 500 }), (e: unknown) => e instanceof AppError && e.code === 'auth/timeout');
  const { execFileSync } = await import('node:child_process');
  const alive = (): boolean => {
    try {
      execFileSync('pgrep', ['-f', marker]);
      return true;
    } catch {
      return false;
    }
  };
  // SIGKILL is delivered at once, but the exit itself is asynchronous: look a few times.
  let gone = !alive();
  for (let i = 0; i < 50 && !gone; i++) gone = !alive();
  if (!gone) {
    // Clean up what the code under test left behind (by pid), then fail.
    const pids = execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).split('\n').filter((p) => /^\d+$/.test(p));
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
  }
  assert.equal(gone, true, 'no process left behind');
});
