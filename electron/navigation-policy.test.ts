import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignInPolicy, decideSignInNavigation, isExternalLinkAllowed, isLoopbackRedirect, isOwnAppUrl, isTrustedSender } from './navigation-policy.js';

const authorize =
  'https://login.microsoftonline.com/contoso/oauth2/v2.0/authorize?client_id=x&redirect_uri=http%3A%2F%2Flocalhost%3A53111&response_mode=form_post';

test('the authority, its companions and the loopback redirect are the only ways out', () => {
  const policy = buildSignInPolicy(authorize);
  assert.equal(decideSignInNavigation('https://login.microsoftonline.com/common/login', policy), 'allow');
  assert.equal(decideSignInNavigation('https://login.live.com/oauth20_authorize.srf', policy), 'allow');
  assert.equal(decideSignInNavigation('http://localhost:53111/', policy), 'redirect');
  assert.equal(decideSignInNavigation('http://127.0.0.1:53111/', policy), 'redirect');
});

test('prefix and lookalike hosts, other ports, schemes and credentials are denied', () => {
  const policy = buildSignInPolicy(authorize);
  for (const bad of [
    'https://login.microsoftonline.com.evil.example/x',
    'https://evil.example/?https://login.microsoftonline.com/',
    'http://login.microsoftonline.com/contoso',
    'https://user:pw@login.microsoftonline.com/',
    'http://localhost:53112/',
    'https://localhost:53111/',
    'http://localhost.evil.example:53111/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'not a url',
  ]) {
    assert.equal(decideSignInNavigation(bad, policy), 'deny', bad);
  }
});

test('a local authority keeps its port; extra federated hosts come from settings', () => {
  const policy = buildSignInPolicy('https://127.0.0.1:8443/tenant/oauth2/v2.0/authorize?redirect_uri=http://localhost:40001', ['ADFS.Contoso.com']);
  assert.equal(decideSignInNavigation('https://127.0.0.1:8443/tenant/login', policy), 'allow');
  assert.equal(decideSignInNavigation('https://127.0.0.1:8444/tenant/login', policy), 'deny');
  assert.equal(decideSignInNavigation('https://adfs.contoso.com/adfs/ls', policy), 'allow');
  assert.ok(isLoopbackRedirect('http://localhost:40001/?code=x', policy));
});

test('a non-https authorize URL is refused and a non-loopback redirect is never captured', () => {
  assert.throws(() => buildSignInPolicy('http://login.microsoftonline.com/x/authorize'));
  const policy = buildSignInPolicy('https://login.microsoftonline.com/x/authorize?redirect_uri=https://app.example/cb');
  assert.equal(policy.redirect, undefined);
  assert.equal(decideSignInNavigation('https://app.example/cb', policy), 'deny');
});

test('app URL and IPC sender checks compare exact file paths and main frames', () => {
  const app = 'file:///opt/KubeTray/resources/app/dist/renderer/index.html';
  assert.ok(isOwnAppUrl(`${app}#settings`, app));
  assert.ok(!isOwnAppUrl('file:///opt/KubeTray/resources/app/dist/renderer/index.html.evil', app));
  assert.ok(!isOwnAppUrl('file:///tmp/index.html', app));
  assert.ok(isTrustedSender({ url: app, isMainFrame: true }, app));
  assert.ok(!isTrustedSender({ url: app, isMainFrame: false }, app));
  assert.ok(!isTrustedSender({ url: 'https://login.microsoftonline.com/', isMainFrame: true }, app));
  assert.ok(!isTrustedSender(null, app));
});

test('the window\'s custom scheme is compared by scheme, host and path', () => {
  const app = 'kubetray-app://app/index.html';
  assert.ok(isOwnAppUrl('kubetray-app://app/index.html#activity', app));
  assert.ok(!isOwnAppUrl('kubetray-app://evil/index.html', app));
  assert.ok(!isOwnAppUrl('kubetray-app://app/other.html', app));
  assert.ok(!isOwnAppUrl('https://app/index.html', app));
  assert.ok(isTrustedSender({ url: app, isMainFrame: true }, app));
});

test('only https links go to the system browser', () => {
  assert.ok(isExternalLinkAllowed('https://learn.microsoft.com/azure/aks/'));
  assert.ok(!isExternalLinkAllowed('file:///etc/passwd'));
  assert.ok(!isExternalLinkAllowed('smb://host/share'));
});

test('an extra sign-in host written with https\'s default port still matches', () => {
  const policy = buildSignInPolicy(authorize, ['adfs.contoso.com:443', ' Okta.Example.com ', 'idp.example:8443', 'evil.example/path', '']);
  assert.equal(decideSignInNavigation('https://adfs.contoso.com/adfs/ls/', policy), 'allow');
  assert.equal(decideSignInNavigation('https://okta.example.com/login', policy), 'allow');
  assert.equal(decideSignInNavigation('https://idp.example:8443/login', policy), 'allow');
  assert.equal(decideSignInNavigation('https://idp.example/login', policy), 'deny');
  assert.equal(decideSignInNavigation('https://evil.example/path', policy), 'deny');
  assert.equal(decideSignInNavigation('https://adfs.contoso.com.evil.example/', policy), 'deny');
});
