import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXEC_API_V1, EXEC_API_V1BETA1, formatExecCredential, formatExpiration, parseExecInfo } from './exec-credential.js';
import { EXIT, exitCodeFor } from './exit-codes.js';

const cases: Array<[string, string | undefined, { apiVersion: string; interactive: boolean } | RegExp]> = [
  ['unset', undefined, { apiVersion: EXEC_API_V1BETA1, interactive: true }],
  ['empty', '', { apiVersion: EXEC_API_V1BETA1, interactive: true }],
  ['v1 non-interactive', JSON.stringify({ kind: 'ExecCredential', apiVersion: EXEC_API_V1, spec: { interactive: false } }), { apiVersion: EXEC_API_V1, interactive: false }],
  ['v1beta1 interactive', JSON.stringify({ apiVersion: EXEC_API_V1BETA1, spec: { interactive: true } }), { apiVersion: EXEC_API_V1BETA1, interactive: true }],
  ['no apiVersion', JSON.stringify({ spec: {} }), { apiVersion: EXEC_API_V1BETA1, interactive: true }],
  ['v1alpha1 unsupported', JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1alpha1' }), /does not support/],
  ['not json', '{', /not valid JSON/],
];
for (const [name, value, expected] of cases) {
  test(`exec info: ${name}`, () => {
    const r = parseExecInfo(value);
    if (expected instanceof RegExp) {
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.message, expected);
    } else {
      assert.ok(r.ok);
      if (r.ok) {
        assert.equal(r.info.apiVersion, expected.apiVersion);
        assert.equal(r.info.interactive, expected.interactive);
      }
    }
  });
}

test('expiration is RFC 3339 UTC whole seconds', () => {
  assert.equal(formatExpiration(Date.UTC(2030, 0, 2, 3, 4, 5, 999)), '2030-01-02T03:04:05Z');
});

test('ExecCredential is one JSON line with the echoed apiVersion', () => {
  const line = formatExecCredential(EXEC_API_V1, 'tok', Date.UTC(2030, 0, 1));
  assert.equal(line.indexOf('\n'), line.length - 1);
  assert.deepEqual(JSON.parse(line), { kind: 'ExecCredential', apiVersion: EXEC_API_V1, spec: {}, status: { expirationTimestamp: '2030-01-01T00:00:00Z', token: 'tok' } });
});

test('exit code table', () => {
  const table: Array<[string, number]> = [
    ['cli/usage', EXIT.USAGE], ['cli/unsupported-exec-api-version', EXIT.USAGE], ['config/invalid', EXIT.USAGE],
    ['auth/interaction-required', EXIT.SIGN_IN_REQUIRED], ['auth/cancelled', EXIT.SIGN_IN_REQUIRED],
    ['auth/invalid-client', EXIT.AUTH_FAILED], ['auth/ca-blocked', EXIT.AUTH_FAILED], ['auth/some-future-code', EXIT.AUTH_FAILED],
    ['auth/timeout', EXIT.TIMEOUT], ['auth/network', EXIT.NETWORK],
    ['pipe/unavailable', EXIT.BROKER], ['pipe/version-mismatch', EXIT.BROKER],
    ['cache/corrupt', EXIT.LOCAL_STATE], ['secret/unavailable', EXIT.LOCAL_STATE],
    ['kubeconfig/not-found', EXIT.KUBECONFIG], ['internal', EXIT.FAILURE], ['weird', EXIT.FAILURE],
  ];
  for (const [code, exit] of table) assert.equal(exitCodeFor(code), exit, code);
  assert.equal(new Set(Object.values(EXIT)).size, Object.values(EXIT).length);
});
