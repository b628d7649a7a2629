/**
 * The desktop test harness: the window's renderer in real Chromium (Playwright, Debian's
 * /usr/bin/chromium), wired to the SAME DesktopService handlers that electron/ipc-main.ts
 * registers, over a Playwright binding instead of ipcMain. The preload's part is played by an
 * init script built from the same buildKubeTrayApi. The broker is the real one (msal-node
 * against the Entra emulator); sign-in windows are Chromium pages under the same allow-list.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright';
import { launchTestChromium } from './chromium.js';
import { createTokenBroker, type TokenBroker } from '../../shared/broker/token-broker.js';
import type { TokenBrokerOptions } from '../../shared/broker/token-broker-options.js';
import { createLogger, type LogRecord } from '../../shared/core/log.js';
import type { KubeconfigModel } from '../../shared/contract/kubeconfig-model.js';
import { dispatchIpc } from '../../shared/contract/ipc-bridge.js';
import { EVENTS } from '../../shared/contract/ipc-contract.js';
import { createDesktopService, type DesktopService } from '../../electron/desktop-service.js';
import { createKubeconfigSource } from '../../electron/kubeconfig-source.js';
import { isTrustedSender } from '../../electron/navigation-policy.js';
import { memorySettings, type SettingsPort } from '../../electron/settings-model.js';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.js';
import { createChromiumSignInWindow, type ChromiumSignInWindow } from './desktop-chromium-sign-in.js';
import { fixtureModel } from './desktop-fixtures.js';
import { createTestSecretBox } from './methods-secret-box.js';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output', 'screenshots');
const APP_ORIGIN = 'http://kubetray.invalid';
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function launchChromium(): Promise<Browser> {
  return launchTestChromium();
}

let assets: Promise<Map<string, { body: Buffer; type: string }>> | undefined;

/** Builds the window's files the way the app ships them: app.js (esbuild), index.html, styles.css. */
export function rendererAssets(): Promise<Map<string, { body: Buffer; type: string }>> {
  assets ??= (async () => {
    const out = await build({
      entryPoints: [path.join(REPO_ROOT, 'renderer', 'main.ts')],
      bundle: true,
      format: 'esm',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    });
    const bridge = await build({
      entryPoints: [path.join(REPO_ROOT, 'test', 'support', 'desktop-bridge-entry.ts')],
      bundle: true,
      format: 'iife',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    });
    const files = new Map<string, { body: Buffer; type: string }>();
    files.set('/app.js', { body: Buffer.from(out.outputFiles[0]?.contents ?? new Uint8Array()), type: 'text/javascript' });
    files.set('/__bridge.js', { body: Buffer.from(bridge.outputFiles[0]?.contents ?? new Uint8Array()), type: 'text/javascript' });
    files.set('/index.html', { body: fs.readFileSync(path.join(REPO_ROOT, 'renderer', 'index.html')), type: 'text/html' });
    files.set('/styles.css', { body: fs.readFileSync(path.join(REPO_ROOT, 'renderer', 'styles.css')), type: 'text/css' });
    return files;
  })();
  return assets;
}

export interface DesktopHarnessOptions {
  browser: Browser;
  entra: EntraEmulator;
  /** A fixed model (fixtures), or ... */
  model?: KubeconfigModel | (() => Promise<KubeconfigModel>);
  /** ... real kubeconfig files, read with KUBECONFIG's cluster model, watcher and converter. */
  kubeconfigFiles?: string[];
  broker?: Partial<TokenBrokerOptions>;
  settings?: SettingsPort;
  storage?: { kind: string; protects: boolean };
}

export interface DesktopHarness {
  home: string;
  broker: TokenBroker;
  service: DesktopService;
  signInWindow: ChromiumSignInWindow;
  settings: SettingsPort;
  logs: LogRecord[];
  /** What the notifier was asked to show (Electron's Notification cannot run here). */
  notifications: { title: string; body: string }[];
  /** IPC calls refused because the sender was not our page. */
  refusedSenders: string[];
  /** Opens the window and waits for its first paint; resolves the page and the paint time. */
  /**
   * Opens the window and waits for its first paint. firstPaintMs counts from navigation start;
   * renderMs from the snapshot's arrival to the paint (the window's own cost), rowsMs the DOM build.
   */
  openWindow(options?: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }): Promise<{ page: Page; firstPaintMs: number; renderMs: number; rowsMs: number }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startDesktopHarness(options: DesktopHarnessOptions): Promise<DesktopHarness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-desktop-'));
  const logs: LogRecord[] = [];
  const notifications: { title: string; body: string }[] = [];
  const log = createLogger((r) => logs.push(r), { level: 'debug', scope: 'tray' });
  const signInWindow = await createChromiumSignInWindow(options.browser);
  const broker = createTokenBroker({
    cacheDir: path.join(home, 'cache'),
    secretBox: createTestSecretBox(),
    signInWindow,
    caPem: options.entra.caPem,
    log,
    ...options.broker,
  });
  const settings = options.settings ?? memorySettings();
  const model = options.model ?? fixtureModel([]);
  const files = options.kubeconfigFiles;
  const source = files ? createKubeconfigSource({ paths: () => files, env: { HOME: home }, cwd: home, log }) : undefined;
  const service = createDesktopService({
    broker,
    loadModel: source ? source.loadModel : typeof model === 'function' ? model : async () => model,
    settings,
    storage: options.storage ?? { kind: 'test key file', protects: true },
    version: '0.1.0-test',
    clearSignInSession: () => signInWindow.clearSession(),
    // Recording notifier: stands in for Electron's Notification, which cannot run here.
    notifier: { notify: (title, body) => void notifications.push({ title, body }) },
    log,
    ...(source ? { convertContext: source.convertContext } : {}),
  });
  source?.watch(() => void service.reloadKubeconfig());
  const contexts: BrowserContext[] = [];
  const refusedSenders: string[] = [];

  const openWindow: DesktopHarness['openWindow'] = async (o = {}) => {
    const files = await rendererAssets();
    const context = await options.browser.newContext({ colorScheme: o.colorScheme ?? 'light', viewport: o.viewport ?? { width: 1280, height: 760 } });
    contexts.push(context);
    // Serve the window's files from an origin of their own (CSP 'self' applies); nothing else loads.
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      const file = url.origin === APP_ORIGIN ? files.get(url.pathname) : undefined;
      if (!file) return route.abort('blockedbyclient');
      return route.fulfill({ status: 200, body: file.body, contentType: file.type });
    });
    // The preload's ipcRenderer.invoke: checked sender, then the shared dispatcher.
    await context.exposeBinding('__kubetrayInvoke', async (source, channel: unknown, payloadJson: unknown) => {
      const frameUrl = source.frame.url();
      if (!isTrustedSender({ url: frameUrl, isMainFrame: source.frame === source.page.mainFrame() }, APP_URL) || typeof channel !== 'string' || typeof payloadJson !== 'string') {
        refusedSenders.push(frameUrl);
        return JSON.stringify({ ok: false, error: { code: 'ipc/untrusted-sender', message: 'This page may not talk to KubeTray.' } });
      }
      return JSON.stringify(await dispatchIpc(service.handlers, channel, JSON.parse(payloadJson) as unknown));
    });
    await context.addInitScript({ content: (files.get('/__bridge.js') as { body: Buffer }).body.toString('utf8') });
    const page = await context.newPage();
    // webContents.send: events in order, to this page only.
    let queue = Promise.resolve();
    const off = service.onEvent((event) => {
      const args = [EVENTS[event.name].channel, JSON.stringify(event.payload)] as const;
      queue = queue.then(() => page.evaluate(([c, p]) => (window as unknown as { __kubetrayEmit(c: string, p: string): void }).__kubetrayEmit(c, p), args)).catch(() => undefined);
    });
    page.on('close', off);
    await page.goto(APP_URL);
    await page.waitForFunction(() => performance.getEntriesByName('kubetray:first-paint').length > 0);
    const [firstPaintMs, snapshotMs, rowsMs] = await page.evaluate(() => ['kubetray:first-paint', 'kubetray:snapshot', 'kubetray:rows'].map((n) => performance.getEntriesByName(n)[0]?.startTime ?? -1));
    return { page, firstPaintMs: firstPaintMs ?? -1, renderMs: (firstPaintMs ?? 0) - (snapshotMs ?? 0), rowsMs: (rowsMs ?? 0) - (snapshotMs ?? 0) };
  };

  return {
    home,
    broker,
    service,
    signInWindow,
    settings,
    logs,
    notifications,
    refusedSenders,
    openWindow,
    async screenshot(page, name) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      source?.close();
      service.close();
      for (const c of contexts) await c.close().catch(() => undefined);
      await signInWindow.close().catch(() => undefined);
      await broker.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
