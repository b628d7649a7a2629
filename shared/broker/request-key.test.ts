import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenRequest } from '../core/token-request.js';
import { resolveFlowAuthority, scopeForServerId } from '../auth/authority.js';
import { buildRequestKeys } from './request-key.js';

const base: TokenRequest = { login: 'devicecode', serverId: '6dae42f8-4368-4678-94ff-3960e28e3630', clientId: '80faf920-1908-4b52-b5ef-a8e7bedfc67a', tenantId: 'contoso.onmicrosoft.com' };

function keys(request: TokenRequest, kind: 'user' | 'app' | 'external' = 'user', keyParts: string[] = []) {
  const authority = resolveFlowAuthority(request);
  return buildRequestKeys({ request, kind, authority, clientId: request.clientId ?? '', scope: scopeForServerId(request.serverId), keyParts });
}

test('scope is the server id without trailing slash plus /.default', () => {
  assert.equal(scopeForServerId('6dae42f8-4368-4678-94ff-3960e28e3630'), '6dae42f8-4368-4678-94ff-3960e28e3630/.default');
  assert.equal(scopeForServerId('api://cluster/'), 'api://cluster/.default');
  assert.equal(scopeForServerId('api://cluster/.default'), 'api://cluster/.default');
});

test('user flows share a session across login methods and scopes, not across tenants or hints', () => {
  const a = keys(base);
  assert.equal(keys({ ...base, login: 'interactive' }).sessionKey, a.sessionKey);
  assert.equal(keys({ ...base, serverId: 'other' }).sessionKey, a.sessionKey);
  assert.notEqual(keys({ ...base, serverId: 'other' }).tokenKey, a.tokenKey);
  assert.notEqual(keys({ ...base, tenantId: 'fabrikam.onmicrosoft.com' }).sessionKey, a.sessionKey);
  assert.notEqual(keys({ ...base, loginHint: 'alice@contoso.com' }).sessionKey, a.sessionKey);
  assert.equal(keys({ ...base, loginHint: 'Alice@Contoso.com' }).sessionKey, keys({ ...base, loginHint: 'alice@contoso.com' }).sessionKey);
  assert.notEqual(keys({ ...base, authorityHost: 'https://login.microsoftonline.us/' }).sessionKey, a.sessionKey);
});

test('PoP and Bearer tokens never share a token key', () => {
  assert.notEqual(keys({ ...base, popEnabled: true, popClaims: 'u=x' }).tokenKey, keys(base).tokenKey);
});

test('app flows key by method and credential fingerprint; keys hold no secrets', () => {
  const spn: TokenRequest = { ...base, login: 'spn', clientSecret: 'top-secret' };
  const k1 = keys(spn, 'app', ['cred:abc']);
  const k2 = keys(spn, 'app', ['cred:def']);
  assert.notEqual(k1.sessionKey, k2.sessionKey);
  assert.notEqual(keys({ ...spn, login: 'workloadidentity' }, 'app', ['cred:abc']).sessionKey, k1.sessionKey);
  assert.ok(!k1.tokenKey.includes('top-secret'));
});

test('the default tenant is organizations', () => {
  const { tenantId: _t, ...rest } = base;
  assert.match(keys(rest).sessionKey, / \| organizations \| /);
});
