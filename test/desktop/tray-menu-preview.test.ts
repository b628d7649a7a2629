/**
 * The tray menu cannot be drawn here (no Electron binary, no system tray), so this renders the
 * template that buildTrayMenu() gives the tray (the same one electron/tray.ts hands to
 * Menu.buildFromTemplate) as HTML in Chromium, with the tray icon beside it, checks every item
 * made it, and saves test-output/screenshots/tray-menu.png. The OS draws the real menu.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright';
import type { ClusterView } from '../../shared/contract/ipc-contract.js';
import { buildTrayMenu, resolveTrayIconState, trayImageFile, type TrayMenuItem } from '../../electron/tray-menu.js';
import { launchTestChromium } from '../support/chromium.js';
import { REPO_ROOT, SCREENSHOT_DIR } from '../support/desktop-harness.js';

const now = Date.UTC(2026, 10, 24, 9, 0);
const cluster = (over: Partial<ClusterView>): ClusterView => ({
  id: over.contextName ?? 'c',
  contextName: 'c',
  clusterName: 'c',
  server: 'https://c.hcp.westeurope.azmk8s.io:443',
  kubeconfigPath: '/home/ada/.kube/config',
  current: false,
  execKind: 'kubetray',
  login: 'interactive',
  state: 'needs-sign-in',
  ...over,
});

const clusters = [
  cluster({ contextName: 'aks-prod-weu', current: true, state: 'signed-in', account: 'ada@contoso.com', expiresOn: now + 52 * 60_000 }),
  cluster({ contextName: 'aks-dev-neu', state: 'needs-sign-in' }),
  cluster({ contextName: 'arc-factory-01', login: 'devicecode', state: 'signed-in', account: 'ada@contoso.com', expiresOn: now + 3 * 3600_000 }),
];

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function renderItems(items: TrayMenuItem[], depth = 0): string {
  return items
    .map((i) => {
      if (i.type === 'separator') return '<hr>';
      const mark = i.type === 'checkbox' ? (i.checked ? '✓' : '') : '';
      const arrow = i.submenu ? '<span class="arrow">▸</span>' : '';
      const row = `<div class="item${i.enabled === false ? ' disabled' : ''}" style="padding-left:${12 + depth * 18}px" data-id="${escape(i.id)}"><span class="mark">${mark}</span>${escape(i.label ?? '')}${arrow}</div>`;
      return row + (i.submenu ? `<div class="sub">${renderItems(i.submenu, depth + 1)}</div>` : '');
    })
    .join('');
}

let browser: Browser;
before(async () => {
  browser = await launchTestChromium();
});
after(async () => {
  await browser?.close();
});

test('the tray menu template renders every item, with the icon for its state', async () => {
  const menu = buildTrayMenu({ clusters, startAtLogin: true, now });
  const iconState = resolveTrayIconState(clusters);
  const icon = fs.readFileSync(path.join(REPO_ROOT, 'build', 'tray', trayImageFile(iconState, 'linux').replace('.png', '@2x.png')));
  const html = `<!doctype html><meta charset="utf-8"><style>
    body { font: 13px system-ui, sans-serif; background: #2b2d31; margin: 0; padding: 12px; }
    .bar { display: flex; justify-content: flex-end; background: #1e1f22; padding: 4px 12px; }
    .bar img { width: 22px; height: 22px; }
    .menu { margin-left: auto; width: 360px; background: #f6f6f6; border-radius: 6px; padding: 4px 0; box-shadow: 0 6px 24px #0008; }
    .item { padding: 5px 12px; color: #1d1d1f; position: relative; }
    .item.disabled { color: #8a8a8e; }
    .mark { display: inline-block; width: 16px; }
    .arrow { position: absolute; right: 12px; }
    hr { border: 0; border-top: 1px solid #d8d8dc; margin: 4px 0; }
  </style><div class="bar"><img alt="tray icon: ${iconState}" src="data:image/png;base64,${icon.toString('base64')}"></div>
  <div class="menu" role="menu">${renderItems(menu)}</div>`;
  const page = await browser.newPage({ viewport: { width: 420, height: 520 } });
  try {
    await page.setContent(html);
    const flat = (items: TrayMenuItem[]): TrayMenuItem[] => items.flatMap((i) => [i, ...(i.submenu ? flat(i.submenu) : [])]);
    const labels = flat(menu).filter((i) => i.type !== 'separator').map((i) => i.label ?? '');
    const text = await page.locator('.menu').innerText();
    for (const label of labels) assert.ok(text.includes(label), `menu shows "${label}"`);
    assert.ok(labels.some((l) => l.includes('aks-prod-weu')), 'the current cluster is listed');
    assert.equal(await page.locator('[data-id="start-at-login"] .mark').innerText(), '✓');
    assert.equal(iconState, 'signed-in', 'the current context is signed in, so the icon shows signed in');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const box = await page.locator('body').boundingBox();
    const menuBox = await page.locator('.menu').boundingBox();
    assert.ok(box && menuBox);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'tray-menu.png'), clip: { x: 0, y: 0, width: 420, height: Math.ceil(menuBox.y + menuBox.height + 16) } });
  } finally {
    await page.close();
  }
});
