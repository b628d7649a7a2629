/**
 * The window with 1,000 contexts: every row is there, the filter works, and the first paint
 * time is MEASURED (written to test-output/desktop-first-paint.json and printed), not asserted:
 * speed belongs in benchmarks, not in unit tests. Also the dark theme screenshot.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright';
import { startEntraEmulator, type EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { DEMO_TENANT_ID } from '../emulators/entra/entra-directory.js';
import { fixtureModel, manyContexts } from '../support/desktop-fixtures.js';
import { launchChromium, REPO_ROOT, startDesktopHarness, type DesktopHarness } from '../support/desktop-harness.js';

let entra: EntraEmulator;
let browser: Browser;
let harness: DesktopHarness;

before(async () => {
  entra = await startEntraEmulator();
  browser = await launchChromium();
  harness = await startDesktopHarness({ browser, entra, model: fixtureModel(manyContexts(1000, DEMO_TENANT_ID, entra.authorityHost)), storage: { kind: 'safeStorage (basic_text)', protects: false } });
});

after(async () => {
  await harness?.close();
  await browser?.close();
  await entra?.stop();
});

test('1,000 contexts render, filter and report their first paint time', async () => {
  const samples: number[] = [];
  const renders: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { page, firstPaintMs, renderMs } = await harness.openWindow();
    samples.push(firstPaintMs);
    renders.push(renderMs);
    // The first screenful is painted at once; the rest of the rows follow in chunks.
    await page.locator('.table-wrap[data-complete="true"]').waitFor();
    assert.equal(await page.locator('table.clusters tbody tr').count(), 1000);
    if (i === 0) {
      await page.locator('#filter').fill('southeastasia-09');
      assert.equal(await page.locator('table.clusters tbody tr:not([hidden])').count(), 20);
      await page.locator('#filter').fill('');
      assert.equal(await page.locator('table.clusters tbody tr:not([hidden])').count(), 1000);
      assert.ok(await page.locator('#storage-banner').isVisible(), 'no real protection is said out loud');
    }
    await page.close();
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[1] ?? -1);
  const report = {
    contexts: 1000,
    // From navigation start: includes the harness's Playwright binding for the snapshot.
    firstPaintMs: samples.map((s) => Math.round(s)),
    medianMs: median(samples),
    // From the snapshot's arrival to the paint: the window's own cost.
    renderMs: renders.map((s) => Math.round(s)),
    renderMedianMs: median(renders),
    target: '< 300 ms',
  };
  fs.mkdirSync(path.join(REPO_ROOT, 'test-output'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'test-output', 'desktop-first-paint.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`desktop first paint with 1000 contexts: ${report.firstPaintMs.join(', ')} ms (median ${report.medianMs} ms); snapshot to paint ${report.renderMs.join(', ')} ms`);
  assert.ok(samples.every((s) => s > 0));
});

test('dark theme follows prefers-color-scheme', async () => {
  const { page } = await harness.openWindow({ colorScheme: 'dark' });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(13, 17, 23)');
  await harness.screenshot(page, 'window-dark-1000-contexts');
  await page.close();
});
