import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, toAppError } from './app-error.js';

test('AppError round-trips through JSON with code, message and detail', () => {
  const e = new AppError('auth/ca-blocked', 'Blocked by Conditional Access: contact your admin.', { detail: { aadsts: 53003 } });
  const back = AppError.fromJSON(JSON.parse(JSON.stringify(e)));
  assert.equal(back.code, 'auth/ca-blocked');
  assert.equal(back.message, e.message);
  assert.deepEqual(back.detail, { aadsts: 53003 });
});

test('toAppError keeps AppErrors and wraps the rest with a fallback code', () => {
  const original = new AppError('pipe/closed', 'closed');
  assert.equal(toAppError(original), original);
  const wrapped = toAppError(new TypeError('x is undefined'), 'internal');
  assert.equal(wrapped.code, 'internal');
  assert.ok(wrapped.cause instanceof TypeError);
});
