import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppError } from '../../shared/core/app-error.js';
import { parsePopClaims, resolvePopOptions } from '../../shared/auth/pop/pop-claims.js';
import { forgetPopKeys, loadOrCreatePopKey, POP_KEY_FILE } from '../../shared/auth/pop/pop-key.js';
import { buildPopToken } from '../../shared/auth/pop/pop-token.js';
import { popRequestFields, withPopFields } from '../../shared/auth/pop/pop-msal.js';
import { createTestSecretBox } from '../support/methods-secret-box.js';
import { verifyPopToken } from '../support/methods-pop-verify.js';

const ARM = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c1';

test('--pop-claims: kubelogin rules and exact messages', () => {
  const fail: Array<[string, string]> = [
    ['', 'failed to parse PoP token claims: no claims provided'],
    ['\t    ', 'failed to parse PoP token claims: no claims provided'],
    ['claim1=val1,claim2', 'failed to parse PoP token claims. Ensure the claims are formatted as `key=value` with no extra whitespace'],
    ['claim1=  ', 'failed to parse PoP token claims. Ensure the claims are formatted as `key=value` with no extra whitespace'],
    [',,,,,,,,', 'failed to parse PoP token claims. Ensure the claims are formatted as `key=value` with no extra whitespace'],
    ['1=2,3=4', 'required u-claim not provided for PoP token flow. Please provide the ARM ID of the cluster in the format `u=<ARM_ID>`'],
  ];
  for (const [input, message] of fail) {
    assert.throws(() => parsePopClaims(input), (e: unknown) => e instanceof AppError && e.code === 'cli/invalid-flag' && e.message === message, input);
  }
  assert.deepEqual({ ...parsePopClaims('u=val1, claim2=val2, claim3=val3') }, { u: 'val1', claim2: 'val2', claim3: 'val3' });
  assert.deepEqual({ ...parsePopClaims(`u=${ARM}`) }, { u: ARM });
  assert.equal(parsePopClaims('u=a,u=b').u, 'b');
});

test('--pop-enabled and --pop-claims need each other', () => {
  assert.throws(() => resolvePopOptions(true, undefined), /please provide the pop-claims flag/);
  assert.throws(() => resolvePopOptions(false, 'u=x'), /pop-enabled flag is required/);
  assert.equal(resolvePopOptions(false, undefined), undefined);
  assert.equal(resolvePopOptions(true, 'u=x')?.u, 'x');
});

test('PoP key: RSA-2048, persisted sealed with mode 0600, same kid after reload', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-pop-'));
  try {
    const box = createTestSecretBox();
    const [a, b] = await Promise.all([loadOrCreatePopKey(dir, box), loadOrCreatePopKey(dir, box)]);
    assert.equal(a, b, 'concurrent callers share one load');
    const file = path.join(dir, POP_KEY_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(!fs.readFileSync(file).toString('latin1').includes('PRIVATE KEY'), 'sealed, not PEM');
    assert.equal(Buffer.from(a.jwk.n, 'base64url').length, 256, '2048-bit modulus');
    assert.match(a.kid, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(JSON.parse(Buffer.from(a.reqCnf, 'base64url').toString('utf8')), { kid: a.kid, xms_ksl: 'sw' });
    forgetPopKeys(dir);
    const reloaded = await loadOrCreatePopKey(dir, box);
    assert.notEqual(reloaded, a);
    assert.equal(reloaded.kid, a.kid);
    // Removed behind our back (remove-cache-dir from another process): a new key, not the old one.
    fs.rmSync(file);
    const replaced = await loadOrCreatePopKey(dir, box);
    assert.notEqual(replaced.kid, a.kid);
    assert.ok(fs.existsSync(file));
    forgetPopKeys(dir);
    await assert.rejects(loadOrCreatePopKey(dir, createTestSecretBox()), (e: unknown) => e instanceof AppError && e.code === 'cache/corrupt');
    forgetPopKeys(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('PoP token: header, payload, signature verify; fresh nonce per call; extra claims kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-pop-'));
  try {
    const key = await loadOrCreatePopKey(dir, createTestSecretBox());
    const claims = parsePopClaims(`u=${ARM},extra=1`);
    const t1 = buildPopToken({ accessToken: 'at-value', key, claims, now: 1_700_000_000_500 });
    const t2 = buildPopToken({ accessToken: 'at-value', key, claims, now: 1_700_000_000_500 });
    assert.notEqual(t1, t2, 'signed afresh with a new nonce');
    const { header, payload } = verifyPopToken(t1);
    assert.deepEqual(header, { typ: 'pop', alg: 'RS256', kid: key.kid });
    assert.equal(payload.at, 'at-value');
    assert.equal(payload.ts, 1_700_000_000);
    assert.equal(payload.u, ARM);
    assert.equal(payload.extra, '1');
    assert.match(payload.nonce, /^[0-9a-f]{32}$/);
    assert.deepEqual(payload.cnf.jwk, key.jwk);
    // A tampered payload must not verify.
    const [h, , s] = t1.split('.');
    const forged = Buffer.from(JSON.stringify({ ...payload, u: 'other' })).toString('base64url');
    assert.throws(() => verifyPopToken(`${h}.${forged}.${s}`), /bad signature/);
    forgetPopKeys(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('msal request fields: body parameters for user flows, query for client credentials', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-pop-'));
  try {
    const key = await loadOrCreatePopKey(dir, createTestSecretBox());
    assert.deepEqual(popRequestFields(key, 'user'), { popKid: key.kid, extraParameters: { token_type: 'pop', req_cnf: key.reqCnf } });
    assert.deepEqual(popRequestFields(key, 'client-credentials'), { popKid: key.kid, extraQueryParameters: { token_type: 'pop', req_cnf: key.reqCnf } });
    const merged = withPopFields({ scopes: ['s'], extraParameters: { login_hint: 'x' } }, key, 'user');
    assert.deepEqual(merged.extraParameters, { login_hint: 'x', token_type: 'pop', req_cnf: key.reqCnf });
    // Shape beats a wrong kind: device code and password grants read only the query.
    assert.deepEqual(withPopFields({ scopes: ['s'], deviceCodeCallback: () => undefined }, key, 'user').extraQueryParameters, { token_type: 'pop', req_cnf: key.reqCnf });
    assert.deepEqual(withPopFields({ scopes: ['s'], username: 'u', password: 'p' }, key, 'user').extraQueryParameters, { token_type: 'pop', req_cnf: key.reqCnf });
    // A silent request always refreshes: msal must not answer a cached Bearer token for PoP.
    const silent = withPopFields({ scopes: ['s'], account: {}, forceRefresh: false }, key, 'user') as { forceRefresh?: boolean; extraParameters?: unknown };
    assert.equal(silent.forceRefresh, true);
    assert.deepEqual(silent.extraParameters, { token_type: 'pop', req_cnf: key.reqCnf });
    // Client credentials never answer a cached (Bearer) token for PoP.
    assert.equal((withPopFields({ scopes: ['s'], skipCache: false }, key, 'client-credentials') as { skipCache?: boolean }).skipCache, true);
    const plain: { scopes: string[]; extraParameters?: Record<string, string> } = { scopes: ['s'] };
    assert.deepEqual(withPopFields(plain, undefined, 'user'), { scopes: ['s'] });
    forgetPopKeys(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
