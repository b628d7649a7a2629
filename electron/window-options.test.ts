import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_CSP, SIGN_IN_PARTITION, buildMainWindowOptions, buildSignInWindowOptions } from './window-options.js';

test('every window is isolated, sandboxed and without Node or webview', () => {
  for (const options of [buildMainWindowOptions({ preloadPath: '/x/preload.js', platform: 'linux' }), buildSignInWindowOptions()]) {
    const wp = options.webPreferences ?? {};
    assert.equal(wp.contextIsolation, true);
    assert.equal(wp.sandbox, true);
    assert.equal(wp.nodeIntegration, false);
    assert.equal(wp.webviewTag, false);
    assert.equal(wp.webSecurity, true);
    assert.equal(wp.allowRunningInsecureContent, false);
  }
});

test('the sign-in window has no preload and its own persistent partition', () => {
  const wp = buildSignInWindowOptions().webPreferences ?? {};
  assert.equal(wp.preload, undefined);
  assert.equal(wp.partition, SIGN_IN_PARTITION);
  assert.ok(SIGN_IN_PARTITION.startsWith('persist:'));
  const main = buildMainWindowOptions({ preloadPath: '/x/preload.js', platform: 'linux' }).webPreferences ?? {};
  assert.notEqual(main.partition, SIGN_IN_PARTITION);
  assert.equal(main.preload, '/x/preload.js');
});

test('the CSP forbids inline script, eval and network, and index.html carries the same policy', () => {
  assert.match(APP_CSP, /default-src 'none'/);
  assert.match(APP_CSP, /script-src 'self'(;|$)/);
  assert.doesNotMatch(APP_CSP, /unsafe-inline|unsafe-eval/);
  // Source tree: the compiled test sits two levels below the repository root.
  const html = fs.readFileSync(path.resolve(__dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.equal(meta?.[1], APP_CSP);
});
