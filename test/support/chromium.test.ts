import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveChromium } from './chromium.js';

test('KUBETRAY_CHROMIUM wins, then a system Chromium; a missing explicit path is named', () => {
  const has = (set: string[]) => (p: string) => set.includes(p);
  assert.equal(resolveChromium({ KUBETRAY_CHROMIUM: '/opt/c/chrome' }, has(['/opt/c/chrome', '/usr/bin/chromium'])), '/opt/c/chrome');
  assert.equal(resolveChromium({}, has(['/usr/bin/chromium-browser'])), '/usr/bin/chromium-browser');
  assert.throws(() => resolveChromium({ KUBETRAY_CHROMIUM: '/nope' }, has([])), /KUBETRAY_CHROMIUM=\/nope does not exist/);
});

test('no Chromium anywhere says how to get one', () => {
  assert.throws(() => resolveChromium({}, () => false), /apt-get install chromium.*npx playwright install chromium/);
});
