/**
 * The broker's persistent MSAL cache on real files: corrupt and undecryptable files are set
 * aside (never fatal), and two processes writing the same cache at once lose nothing.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { AKS_CLIENT_ID, DEMO_USER } from '../emulators/entra/entra-directory.js';
import { autoApproveDeviceCodes, createBrokerHarness, userRequest, type BrokerHarness } from '../support/broker-harness.js';

function cacheFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => /^msal-user-[0-9a-f]+\.cache$/.test(n)).map((n) => path.join(dir, n));
}

async function signIn(h: BrokerHarness, entra: EntraEmulator): Promise<void> {
  const stop = autoApproveDeviceCodes(entra, DEMO_USER);
  try {
    await h.broker.getToken(userRequest(entra), { interactive: true });
  } finally {
    stop();
  }
}

async function runWriter(input: object): Promise<{ ok: boolean; sources?: string[]; error?: string }> {
  const script = path.join(__dirname, '..', 'support', 'broker-cache-writer.js');
  const child = spawn(process.execPath, [script, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ok: boolean; sources?: string[]; error?: string };
  assert.equal(code, parsed.ok ? 0 : 1);
  return parsed;
}

describe('broker: persistent cache on disk', () => {
  let entra: EntraEmulator;
  let h: BrokerHarness;

  before(async () => {
    entra = await startEntraEmulator();
    h = createBrokerHarness(entra);
  });
  after(async () => {
    await h.dispose();
    await entra.stop();
  });

  it('a corrupt cache file is kept aside, logged, and the broker starts empty', async () => {
    await signIn(h, entra);
    const [file] = cacheFiles(h.cacheDir);
    assert.ok(file);
    fs.writeFileSync(file, 'KTCACHE1\n' + 'garbage'.repeat(20));
    const broker = await h.restart();
    await assert.rejects(broker.getToken(userRequest(entra), { interactive: false }), { code: 'auth/interaction-required' });
    const aside = fs.readdirSync(h.cacheDir).filter((n) => n.startsWith(path.basename(file) + '.corrupt-'));
    assert.equal(aside.length, 1, 'the bad file is kept for inspection');
    assert.match(fs.readFileSync(h.logFile, 'utf8'), /token cache unreadable; starting with an empty cache/);
    // And signing in again works and writes a good file.
    const stop = autoApproveDeviceCodes(entra, DEMO_USER);
    try {
      assert.equal((await broker.getToken(userRequest(entra), { interactive: true })).source, 'sign-in');
    } finally {
      stop();
    }
    assert.equal((await (await h.restart()).getToken(userRequest(entra), { interactive: false })).source, 'cache');
  });

  it('a cache sealed with another key is treated like a corrupt one', async () => {
    fs.writeFileSync(path.join(h.cacheDir, 'cache.key'), crypto.randomBytes(32), { mode: 0o600 });
    const broker = await h.restart();
    await assert.rejects(broker.getToken(userRequest(entra), { interactive: false }), { code: 'auth/interaction-required' });
    assert.ok(fs.readdirSync(h.cacheDir).filter((n) => n.includes('.corrupt-')).length >= 2);
  });

  it('two processes writing the same cache at once lose no entries', async () => {
    const broker = await h.restart();
    const stop = autoApproveDeviceCodes(entra, DEMO_USER);
    try {
      await broker.getToken(userRequest(entra), { interactive: true });
    } finally {
      stop();
    }
    const ids = (prefix: string) => Array.from({ length: 12 }, (_, i) => `${prefix}${i.toString(16)}a0000-0000-4000-8000-000000000000`);
    const common = { cacheDir: h.cacheDir, caPem: entra.caPem, authorityHost: entra.authorityHost, tenantId: entra.defaultTenantId, clientId: AKS_CLIENT_ID };
    const a = ids('aaa');
    const b = ids('bbb');
    // Each writer refreshes 12 new scopes (12 cache writes) while the other does the same.
    const [ra, rb] = await Promise.all([runWriter({ ...common, serverIds: a }), runWriter({ ...common, serverIds: b })]);
    assert.ok(ra.ok, ra.error);
    assert.ok(rb.ok, rb.error);
    // A fresh broker finds all 24 access tokens in the file: no token request, no lost update.
    const fresh = await h.restart();
    const requests = entra.requestLog.length;
    for (const serverId of [...a, ...b]) {
      const t = await fresh.getToken(userRequest(entra, { serverId }), { interactive: false });
      assert.equal(t.source, 'cache', serverId);
    }
    // Nothing goes out but, at most, the authority's metadata (normally remembered from before).
    const sent = entra.requestLog.slice(requests);
    assert.ok(sent.every((r) => r.method === 'GET' && r.path.endsWith('openid-configuration')), JSON.stringify(sent));
    assert.deepEqual(fs.readdirSync(h.cacheDir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock')), [], 'no temp or lock files left');
  });

  it('many refreshes at once in one process lose no entries', async () => {
    const broker = await h.restart();
    const ids = Array.from({ length: 30 }, (_, i) => `0c${i.toString(16).padStart(6, '0')}-0000-4000-8000-000000000000`);
    const results = await Promise.all(ids.map((serverId) => broker.getToken(userRequest(entra, { serverId }), { interactive: false })));
    assert.ok(results.every((r) => r.source === 'refresh'));
    const fresh = await h.restart();
    for (const serverId of ids) assert.equal((await fresh.getToken(userRequest(entra, { serverId }), { interactive: false })).source, 'cache', serverId);
  });
});
