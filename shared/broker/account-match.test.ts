import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountInfo } from '@azure/msal-node';
import { matchAccount } from './account-match.js';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';

function account(username: string, tenantId: string, environment = 'login.microsoftonline.com'): AccountInfo {
  return { homeAccountId: `${username}.${tenantId}`, environment, tenantId, username, localAccountId: username };
}

const alice1 = account('alice@contoso.com', T1);
const bob1 = account('bob@contoso.com', T1);
const alice2 = account('alice@fabrikam.com', T2);

test('a tenant GUID only matches accounts of that tenant', () => {
  assert.equal(matchAccount([alice1, alice2], { environment: 'login.microsoftonline.com', tenant: T2 }), alice2);
  assert.equal(matchAccount([alice1], { environment: 'login.microsoftonline.com', tenant: T2 }), undefined);
});

test('a login hint only matches that user (case-insensitive)', () => {
  assert.equal(matchAccount([alice1, bob1], { environment: 'login.microsoftonline.com', tenant: T1, loginHint: 'BOB@contoso.com' }), bob1);
  assert.equal(matchAccount([alice1], { environment: 'login.microsoftonline.com', tenant: T1, loginHint: 'bob@contoso.com' }), undefined);
});

test('several fitting accounts and nothing to choose by: no guess', () => {
  assert.equal(matchAccount([alice1, bob1], { environment: 'login.microsoftonline.com', tenant: T1 }), undefined);
  assert.equal(matchAccount([alice1, bob1], { environment: 'login.microsoftonline.com', tenant: T1, boundHomeAccountId: bob1.homeAccountId }), bob1);
});

test('another cloud or authority host never matches', () => {
  assert.equal(matchAccount([alice1], { environment: 'login.microsoftonline.us', tenant: T1 }), undefined);
  assert.equal(matchAccount([account('a@x', T1, '127.0.0.1:8443')], { environment: '127.0.0.1:8443', tenant: 'organizations' })?.username, 'a@x');
});
