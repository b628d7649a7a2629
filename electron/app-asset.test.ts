import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { APP_INDEX_URL, resolveAppAsset } from './app-asset.js';

const root = path.resolve('/opt/KubeTray/resources/app/dist/renderer');

test('the window\'s own files resolve inside the renderer folder with their types', () => {
  assert.deepEqual(resolveAppAsset(APP_INDEX_URL, root), { file: path.join(root, 'index.html'), type: 'text/html; charset=utf-8' });
  assert.equal(resolveAppAsset('kubetray-app://app/app.js?v=1#x', root)?.file, path.join(root, 'app.js'));
  assert.equal(resolveAppAsset('kubetray-app://app/styles.css', root)?.type, 'text/css; charset=utf-8');
});

test('traversal, other hosts and schemes, odd encodings and unknown types are refused', () => {
  for (const bad of [
    'kubetray-app://app/../../../../etc/passwd',
    'kubetray-app://app/..%2f..%2fcache%2fmsal.json',
    'kubetray-app://app/a%5c..%5c..%5cx.js',
    'kubetray-app://app/x%00.js',
    'kubetray-app://other/index.html',
    'kubetray-app://user:pw@app/index.html',
    'file:///opt/KubeTray/resources/app/dist/renderer/index.html',
    'kubetray-app://app/settings.json',
    'kubetray-app://app/%E0%A4%A',
    'not a url',
  ]) {
    assert.equal(resolveAppAsset(bad, root), undefined, bad);
  }
  // Encoded dots are normalised by the URL parser first: they stay inside the folder.
  assert.equal(resolveAppAsset('kubetray-app://app/%2e%2e/%2e%2e/app.js', root)?.file, path.join(root, 'app.js'));
});
