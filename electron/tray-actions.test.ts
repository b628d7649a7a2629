import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTokenBroker } from '../shared/broker/token-broker.js';
import { plainSecretBox } from '../shared/cache/file-secret-box.js';
import { silentLogger } from '../shared/core/log.js';
import { createDesktopService } from './desktop-service.js';
import { memorySettings } from './settings-model.js';
import { createTrayActionHandler } from './tray-actions.js';
import { buildTrayMenu, type TrayAction } from './tray-menu.js';

test('every tray menu action reaches the same service the window uses', async (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-tray-'));
  // A real broker; no action here needs the network. No sign-in window may open.
  const broker = createTokenBroker({ cacheDir: path.join(home, 'cache'), secretBox: plainSecretBox, signInWindow: { open: async () => assert.fail('no sign-in expected') }, log: silentLogger });
  t.after(async () => {
    await broker.close();
    fs.rmSync(home, { recursive: true, force: true });
  });
  const settings = memorySettings();
  const applied: boolean[] = [];
  let cleared = 0;
  const service = createDesktopService({
    broker,
    loadModel: async () => ({ files: [], missingFiles: [], contexts: [], problems: [], readAt: 0 }),
    settings,
    storage: { kind: 'plain', protects: false },
    version: 'test',
    applyStartAtLogin: async (on) => void applied.push(on),
    clearSignInSession: async () => void cleared++,
  });
  t.after(() => service.close());
  let shown = 0;
  let quit = 0;
  const act = createTrayActionHandler({ service, settings, showWindow: () => shown++, quit: () => quit++, log: silentLogger });
  // Every action the menu can produce is handled (the menu and the handler agree).
  const actions = buildTrayMenu({ clusters: [], startAtLogin: true, now: 0 }).flatMap((i) => (i.action ? [i.action] : []));
  assert.deepEqual(actions.map((a) => a.type).sort(), ['open-window', 'quit', 'sign-out-everywhere', 'toggle-start-at-login']);
  for (const a of actions as TrayAction[]) await act(a);
  assert.equal(shown, 1);
  assert.equal(quit, 1);
  assert.equal(cleared, 1, 'sign out everywhere also clears the sign-in cookies');
  assert.deepEqual(applied, [false]);
  assert.equal(settings.get().startAtLogin, false);
});
