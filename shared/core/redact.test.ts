import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactText, redactValue } from './redact.js';
import { createLogger, type LogRecord } from './log.js';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

test('JWTs anywhere in text are redacted', () => {
  const out = redactText(`got ${jwt} from server`);
  assert.ok(!out.includes(jwt));
  assert.ok(out.includes(REDACTED));
  assert.ok(out.startsWith('got '));
});

test('secret key=value, JSON and form pairs are redacted, other keys kept', () => {
  const text = 'client_secret=s3cr3t-value&grant_type=client_credentials {"refresh_token":"0.ARoAv4j5cvGGr0GRqy180BHbR","scope":"x/.default"} password: hunter2';
  const out = redactText(text);
  for (const secret of ['s3cr3t-value', '0.ARoAv4j5cvGGr0GRqy180BHbR', 'hunter2']) assert.ok(!out.includes(secret), secret);
  assert.ok(out.includes('grant_type=client_credentials'));
  assert.ok(out.includes('x/.default'));
});

test('Authorization headers lose their credentials', () => {
  assert.equal(redactText('Authorization: Bearer abcdefghijklmnop'), `Authorization: Bearer ${REDACTED}`);
  assert.ok(!redactText('PoP abcdefghijklmnopqrstuvwxyz').includes('abcdefghijklmnopqrstuvwxyz'));
});

test('long opaque refresh-token-shaped blobs are redacted', () => {
  const rt = '0.AXoA' + 'x'.repeat(30) + '.' + 'AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wUA9P'.repeat(3);
  assert.ok(!redactText(`rt=${rt}`).includes(rt));
});

test('redactValue masks secret keys deeply and keeps the shape', () => {
  const v = redactValue({ clientSecret: 'abc', nested: { accessToken: 'zzz', login: 'spn', list: [{ password: 'p' }] } }) as Record<string, unknown>;
  assert.deepEqual(v, { clientSecret: REDACTED, nested: { accessToken: REDACTED, login: 'spn', list: [{ password: REDACTED }] } });
});

test('logger redacts messages and data before the sink', () => {
  const records: LogRecord[] = [];
  const log = createLogger((r) => records.push(r), { scope: 'test', level: 'debug' }).child('broker');
  log.info(`served ${jwt}`, { token: 'plain-token-value', key: 'tenant-a' });
  assert.equal(records.length, 1);
  const line = JSON.stringify(records[0]);
  assert.ok(!line.includes(jwt));
  assert.ok(!line.includes('plain-token-value'));
  assert.equal(records[0]?.scope, 'test.broker');
  assert.ok(line.includes('tenant-a'));
});

test('logger drops records under its level and survives a throwing sink', () => {
  const records: LogRecord[] = [];
  createLogger((r) => records.push(r), { level: 'warn' }).info('quiet');
  assert.equal(records.length, 0);
  assert.doesNotThrow(() => createLogger(() => { throw new Error('disk full'); }).error('boom'));
});

test('keys that merely end in a secret word are not redacted', () => {
  assert.equal(redactText('error_code=50076 trace_code: abc'), 'error_code=50076 trace_code: abc');
  assert.equal(redactText('device_code=GAAA1234'), `device_code=${REDACTED}`);
});

test('a `code` field keeps error codes readable but hides authorization codes', () => {
  assert.deepEqual(redactValue({ code: 'auth/ca-blocked' }), { code: 'auth/ca-blocked' });
  assert.deepEqual(redactValue({ code: 'ECONNREFUSED' }), { code: 'ECONNREFUSED' });
  assert.deepEqual(redactValue({ code: 50076 }), { code: 50076 });
  assert.deepEqual(redactValue({ code: '0.ARoAv4j5cvGGr0GRqy180BHbR-authcode' }), { code: REDACTED });
  assert.deepEqual(redactValue({ code: 'M.C507_BAY.2.U.abc-def' }), { code: REDACTED });
});

test('quoted secret values are redacted whole, whatever characters they hold', () => {
  const cases: Array<[string, string]> = [
    ['{"password":"hunter2 with spaces"}', 'hunter2 with spaces'],
    ['{"client_secret":"abc,def}ghi&jkl"}', 'def}ghi&jkl'],
    ["secret='a b c'", 'a b c'],
    ['password: "p@ss word', 'ss word'],
    ['{\\"password\\":\\"esc aped\\"}', 'esc aped'],
    ['{"password":"a\\"b c"}', 'b c'],
  ];
  for (const [text, secret] of cases) {
    const out = redactText(text);
    assert.ok(!out.includes(secret), `${text} -> ${out}`);
    assert.ok(out.includes(REDACTED), `${text} -> ${out}`);
  }
  assert.equal(redactText('{"password":"x y","scope":"a/.default"}'), `{"password":"${REDACTED}","scope":"a/.default"}`);
  assert.equal(redactText('{"password":""}'), '{"password":""}');
  assert.equal(redactText('"Authorization": "Bearer abcdefghijklmnop"'), `"Authorization": "Bearer ${REDACTED}"`);
});

test('fields whose names end in a secret word are redacted', () => {
  const v = redactValue({
    clientCertificatePassword: 'pw',
    SYSTEM_ACCESSTOKEN: 'ado',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'gh',
    AZURE_CLIENT_SECRET: 'sp',
    login: 'spn',
    tokenType: 'Bearer',
  });
  assert.deepEqual(v, {
    clientCertificatePassword: REDACTED,
    SYSTEM_ACCESSTOKEN: REDACTED,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REDACTED,
    AZURE_CLIENT_SECRET: REDACTED,
    login: 'spn',
    tokenType: 'Bearer',
  });
});
