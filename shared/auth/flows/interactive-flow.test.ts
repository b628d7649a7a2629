import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_TEMPLATE, preferredPortOf, SUCCESS_TEMPLATE } from './interactive-flow.js';

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
