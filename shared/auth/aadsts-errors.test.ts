import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { AppError } from '../core/app-error.js';
import { AADSTS_TABLE, claimsChallenge, extractAadsts, isPolicyBlock, isRevokedRefresh, toAuthAppError } from './aadsts-errors.js';

const corr = '00000000-0000-0000-0000-000000000000';
const msg = (n: number, text: string) => `AADSTS${n}: ${text} Trace ID: 1 Correlation ID: 2 Timestamp: 2026-01-01 00:00:00Z`;

test('every table entry maps to an auth/ or config/ code and says what to do', () => {
  for (const [n, entry] of Object.entries(AADSTS_TABLE)) {
    assert.match(entry.code, /^(auth|config)\//, n);
    assert.ok(entry.hint.length > 10, n);
  }
});

test('the AADSTS number comes from errorNo, else from the message', () => {
  assert.equal(extractAadsts(new InteractionRequiredAuthError('invalid_grant', corr, 'x', 'basic_action', '', '', undefined, '50076')), 50076);
  assert.equal(extractAadsts(new ServerError('invalid_client', corr, msg(7000215, 'Invalid client secret provided.'))), 7000215);
  assert.equal(extractAadsts(new Error('nothing here')), undefined);
  assert.equal(extractAadsts(undefined), undefined);
});

const cases: [string, unknown, string][] = [
  ['MFA required', new InteractionRequiredAuthError('invalid_grant', corr, msg(50076, 'MFA'), 'basic_action', '', '', undefined, '50076'), 'auth/interaction-required'],
  ['CA blocked', new InteractionRequiredAuthError('invalid_grant', corr, msg(53003, 'Blocked'), 'message_only', '', '', undefined, '53003'), 'auth/ca-blocked'],
  ['revoked', new InteractionRequiredAuthError('invalid_grant', corr, msg(50173, 'revoked'), 'bad_token', '', '', undefined, '50173'), 'auth/refresh-revoked'],
  ['sign-in frequency', new ServerError('invalid_grant', corr, msg(70043, 'expired'), 'bad_token', '70043'), 'auth/refresh-revoked'],
  ['inactivity', new ServerError('invalid_grant', corr, msg(700082, 'inactive')), 'auth/refresh-revoked'],
  ['bad secret', new ServerError('invalid_client', corr, msg(7000215, 'Invalid client secret provided.')), 'auth/invalid-client'],
  ['unknown app', new ServerError('unauthorized_client', corr, msg(700016, 'Application not found')), 'auth/invalid-client'],
  ['tenant not found', new ServerError('invalid_request', corr, msg(90002, 'Tenant not found')), 'config/invalid'],
  ['device auth', new ServerError('invalid_grant', corr, msg(50097, 'Device authentication is required')), 'auth/ca-blocked'],
  ['declined device code', new ServerError('authorization_declined', corr, 'declined'), 'auth/cancelled'],
  ['expired device code', new ServerError('expired_token', corr, 'expired'), 'auth/timeout'],
  ['no tokens', new InteractionRequiredAuthError('no_tokens_found', corr, 'none'), 'auth/interaction-required'],
];

for (const [name, error, code] of cases) {
  test(`maps ${name} to ${code}`, () => {
    const mapped = toAuthAppError(error);
    assert.ok(mapped instanceof AppError);
    assert.equal(mapped.code, code);
    assert.ok(!/Trace ID/.test(mapped.message), 'no trace noise');
  });
}

test('the message names the AADSTS code, our hint, and what Entra said', () => {
  const e = toAuthAppError(new InteractionRequiredAuthError('invalid_grant', corr, msg(53003, 'Access has been blocked by Conditional Access policies.'), 'message_only', '', '', undefined, '53003'));
  assert.match(e.message, /\(AADSTS53003\)/);
  assert.match(e.message, /ask your administrator/);
  assert.match(e.message, /Entra ID said: AADSTS53003: Access has been blocked/);
  assert.deepEqual(e.detail, { aadsts: 53003, msalCode: 'invalid_grant', subError: 'message_only' });
});

test('server text quoted in messages is redacted', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
  const e = toAuthAppError(new ServerError('invalid_request', corr, `AADSTS90002: bad ${jwt}`));
  assert.ok(!e.message.includes(jwt));
});

test('revoked refresh tokens and policy blocks are recognised; other grants are not revoked', () => {
  assert.ok(isRevokedRefresh(new ServerError('invalid_grant', corr, msg(700082, 'inactive'))));
  assert.ok(isRevokedRefresh(new ServerError('invalid_grant', corr, 'no number')));
  assert.ok(!isRevokedRefresh(new ServerError('invalid_grant', corr, msg(50126, 'bad password'))));
  assert.ok(isPolicyBlock(new InteractionRequiredAuthError('invalid_grant', corr, msg(53003, 'x'), 'message_only')));
  assert.ok(!isPolicyBlock(new InteractionRequiredAuthError('invalid_grant', corr, msg(50076, 'x'), 'basic_action')));
});

test('claims challenges are read from InteractionRequiredAuthError', () => {
  const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
  assert.equal(claimsChallenge(new InteractionRequiredAuthError('invalid_grant', corr, 'x', 'basic_action', '', '', claims, '50076')), claims);
  assert.equal(claimsChallenge(new ServerError('invalid_grant', corr, 'x')), undefined);
});

test('network failures become auth/network with a hint', () => {
  const e = toAuthAppError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
  assert.equal(e.code, 'auth/network');
  assert.match(e.message, /--authority-host/);
});
