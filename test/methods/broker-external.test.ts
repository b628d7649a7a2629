/**
 * -l azurecli / -l azd through the real TokenBroker: tokens cached in memory until shortly
 * before they expire (kubelogin runs `az` on every call: Azure/kubelogin#358), kept apart per
 * tenant and per AZURE_CONFIG_DIR. fake-az-cli / fake-azd are MOCKS of the CLIs, which cannot be
 * installed here (test/support/methods-fake-cli.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenRequest } from '../../shared/core/token-request.js';
import { createTokenBroker, type TokenBroker } from '../../shared/broker/token-broker.js';
import { createFakeCli, fakeJwt, type FakeCli } from '../support/methods-fake-cli.js';
import { createTestSecretBox } from '../support/methods-secret-box.js';

const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';
let fake: FakeCli;
let dir: string;
let broker: TokenBroker;
const originalPath = process.env.PATH;

before(() => {
  fake = createFakeCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-ext-'));
  // This test file runs in its own process: the broker spawns `az` from this PATH.
  process.env.PATH = fake.path;
  broker = createTokenBroker({ cacheDir: dir, secretBox: createTestSecretBox(), signInWindow: { open: async () => undefined }, env: {} });
});
after(async () => {
  await broker.close();
  process.env.PATH = originalPath;
  fake.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function azPrints(tenant: string, user: string, expiresInSeconds: number): void {
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds;
  fake.setScenario('az', { stdout: JSON.stringify({ accessToken: fakeJwt({ tid: tenant, oid: `oid-${user}`, upn: user, n: Math.random() }), expires_on: exp, tenant }) });
}

const azcli = (over: Partial<TokenRequest> = {}): TokenRequest => ({ login: 'azurecli', serverId: SERVER, ...over });
const azCalls = (): number => fake.calls().filter((c) => c.tool === 'az').length;

test('azurecli: one az run serves later calls from memory', async () => {
  azPrints('tenant-a', 'alice@a.example', 3600);
  const before = azCalls();
  const first = await broker.getToken(azcli({ tenantId: 'tenant-a' }), { interactive: false });
  const second = await broker.getToken(azcli({ tenantId: 'tenant-a' }), { interactive: false });
  assert.equal(second.token, first.token);
  assert.equal(second.source, 'cache');
  assert.equal(azCalls(), before + 1);
  // The window shows whose token it is (read from the token, never trusted for anything else).
  assert.equal(first.account?.username, 'alice@a.example');
  assert.ok(broker.sessions().some((s) => s.login === 'azurecli' && s.account?.username === 'alice@a.example'));
});

test('azurecli: tenants and CLI profiles never share a token', async () => {
  azPrints('tenant-b', 'bob@b.example', 3600);
  const b = await broker.getToken(azcli({ tenantId: 'tenant-b' }), { interactive: false });
  azPrints('tenant-a', 'carol@a.example', 3600);
  const other = await broker.getToken(azcli({ tenantId: 'tenant-a', azureConfigDir: '/profiles/carol' }), { interactive: false });
  const a = await broker.getToken(azcli({ tenantId: 'tenant-a' }), { interactive: false });
  assert.notEqual(b.token, a.token);
  assert.notEqual(other.token, a.token);
  assert.equal(fake.calls().at(-1)?.azureConfigDir, '/profiles/carol');
  assert.deepEqual(fake.calls().at(-2)?.argv.slice(-3), ['tenant-b', '-o', 'json']);
});

test('azurecli: a token with less than 5 minutes left is not served: az runs again', async () => {
  azPrints('tenant-c', 'dan@c.example', 120);
  const first = await broker.getToken(azcli({ tenantId: 'tenant-c' }), { interactive: false });
  azPrints('tenant-c', 'dan@c.example', 3600);
  const before = azCalls();
  const second = await broker.getToken(azcli({ tenantId: 'tenant-c' }), { interactive: false });
  assert.notEqual(second.token, first.token);
  assert.equal(azCalls(), before + 1);
});

test('azd: cached like azurecli', async () => {
  fake.setScenario('azd', { stdout: JSON.stringify({ token: fakeJwt({ tid: 't', upn: 'e@x', n: 1 }), expiresOn: new Date(Date.now() + 3600_000).toISOString() }) });
  const before = fake.calls().filter((c) => c.tool === 'azd').length;
  await broker.getToken({ login: 'azd', serverId: SERVER }, { interactive: false });
  await broker.getToken({ login: 'azd', serverId: SERVER }, { interactive: false });
  assert.equal(fake.calls().filter((c) => c.tool === 'azd').length, before + 1);
});
