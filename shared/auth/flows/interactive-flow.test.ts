import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_TEMPLATE, expectAuthorityUrl, preferredPortOf, SUCCESS_TEMPLATE } from './interactive-flow.js';

test('--redirect-url gives the preferred loopback port; only loopback http is accepted', () => {
  assert.equal(preferredPortOf(undefined), undefined);
  assert.equal(preferredPortOf('http://localhost:8400'), 8400);
  assert.equal(preferredPortOf('http://127.0.0.1:8400/'), 8400);
  assert.equal(preferredPortOf('http://localhost'), undefined);
  assert.throws(() => preferredPortOf('https://localhost:8400'), { code: 'cli/invalid-flag' });
  assert.throws(() => preferredPortOf('http://example.com:8400'), { code: 'cli/invalid-flag' });
  assert.throws(() => preferredPortOf('not a url'), { code: 'cli/invalid-flag' });
});

test('the pages the browser shows after the redirect send the person back to KubeTray', () => {
  assert.match(SUCCESS_TEMPLATE, /return to KubeTray/);
  assert.match(ERROR_TEMPLATE, /Return to KubeTray/);
});

test('the sign-in page must be on the authority host or one of its cloud aliases', () => {
  assert.equal(expectAuthorityUrl('https://127.0.0.1:8443/', 'https://127.0.0.1:8443/t/oauth2/v2.0/authorize?x=1').host, '127.0.0.1:8443');
  assert.ok(expectAuthorityUrl('https://login.windows.net/', 'https://login.microsoftonline.com/t/oauth2/v2.0/authorize'));
  assert.throws(() => expectAuthorityUrl('https://127.0.0.1:8443/', 'https://127.0.0.1:9999/t/oauth2/v2.0/authorize'), { code: 'internal' });
  assert.throws(() => expectAuthorityUrl('https://login.microsoftonline.com/', 'https://login.microsoftonline.com.evil.example/authorize'), { code: 'internal' });
  assert.throws(() => expectAuthorityUrl('https://login.microsoftonline.com/', 'https://login.microsoftonline.us/t/authorize'), { code: 'internal' });
});
