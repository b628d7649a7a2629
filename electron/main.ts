/**
 * KubeTray's Electron main process: the composition root. It only wires services together;
 * every decision lives in the modules it imports (see DESIGN.md "Processes and folders").
 */
import { app } from 'electron';
import * as path from 'node:path';
import { createTokenBroker } from '../shared/broker/token-broker.js';
import { createKeyFileSecretBox } from '../shared/cache/file-secret-box.js';
import type { SecretBox } from '../shared/core/ports.js';
import { createFileLogger } from '../shared/node/log-file.js';
import { resolvePaths } from '../shared/node/paths.js';
import { startPipeServer, type PipeServer } from '../shared/pipe/pipe-server.js';
import { registerAppScheme } from './app-protocol.js';
import { createAppWindow } from './app-window.js';
import { createDesktopService } from './desktop-service.js';
import { createEphemeralSecretBox } from './ephemeral-secret-box.js';
import { registerIpc } from './ipc-main.js';
import { createKubeconfigSource } from './kubeconfig-source.js';
import { buildAppLaunchInfo, wantsHiddenStart, writeAppLaunchInfo } from './launch-info.js';
import { applyStartAtLogin } from './login-item.js';
import { createElectronNotifier } from './notifier.js';
import { createSafeStorageBox } from './safe-storage-box.js';
import { createSettingsStore } from './settings-store.js';
import { clearSignInSession, createElectronSignInWindow } from './sign-in-window.js';
import { createTray } from './tray.js';
import { createTrayActionHandler } from './tray-actions.js';

const paths = resolvePaths();
const log = createFileLogger(paths.logsDir, 'tray');
// dist/electron/main.js -> dist/
const distDir = path.resolve(__dirname, '..');

async function openSecretBox(): Promise<SecretBox> {
  try {
    return await createSafeStorageBox();
  } catch (e) {
    // No OS key store (e.g. a locked keyring): keep working, say so in the window (protects=false).
    log.warn('safeStorage unavailable; using a key file', { message: e instanceof Error ? e.message : String(e) });
    return createKeyFileSecretBox(path.join(paths.home, 'cache-key'), log);
  }
}

async function start(): Promise<void> {
  const settings = await createSettingsStore(paths.home);
  // Memory-only (Settings) applies from the next start: the cache key then never leaves the process.
  const secretBox = settings.get().memoryOnlyCache ? createEphemeralSecretBox() : await openSecretBox();
  // A federated tenant's IdP must be allowed in Settings; a refused host is named to the person.
  const onRefused = (host: string) => notifier.notify('KubeTray blocked a sign-in page', `${host} is not Entra ID. If it is your organisation's sign-in server, add it in Settings → Extra sign-in hosts.`);
  const signInWindow = createElectronSignInWindow({ extraHosts: () => settings.get().signInHosts, log, onRefused });
  const broker = createTokenBroker({ cacheDir: paths.trayCacheDir, secretBox, signInWindow, log });
  const pipe: PipeServer = await startPipeServer({ broker, paths, log, host: 'tray', appVersion: app.getVersion(), signInWithoutTerminal: true });
  const kube = createKubeconfigSource({ paths: () => settings.get().kubeconfigPaths, log });
  const appWindow = createAppWindow(distDir, path.join(distDir, '..', 'build', 'icons', '256x256.png'));
  const notifier = createElectronNotifier(() => appWindow.show());
  const service = createDesktopService({
    broker,
    loadModel: kube.loadModel,
    settings,
    storage: { kind: secretBox.kind, protects: secretBox.protects },
    version: app.getVersion(),
    convertContext: kube.convertContext,
    clearSignInSession,
    applyStartAtLogin,
    notifier,
    log,
  });
  kube.watch(() => void service.reloadKubeconfig());
  const unregisterIpc = registerIpc(service, appWindow.url, () => appWindow.get(), log);

  const trayAction = createTrayActionHandler({ service, settings, showWindow: () => appWindow.show(), quit: () => app.quit(), log });
  const imagesDir = app.isPackaged ? path.join(process.resourcesPath, 'tray') : path.join(app.getAppPath(), 'build', 'tray');
  const tray = createTray({
    imagesDir,
    onAction: (action) => void trayAction(action),
  });
  const renderTray = () => tray.render(service.clusters(), settings.get().startAtLogin);
  let menuTimer: NodeJS.Timeout | undefined = undefined;
  // Registered as soon as there is a tray to quit from. A second quit (tray, Cmd+Q, the OS)
  // while closing waits for the first; one step failing neither skips the others nor blocks quit.
  let closing = false;
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    appWindow.allowClose();
    clearInterval(menuTimer);
    const step = async (what: string, run: () => unknown): Promise<void> => {
      try {
        await run();
      } catch (e) {
        log.warn(`${what} failed while quitting`, { message: e instanceof Error ? e.message : String(e) });
      }
    };
    // Close the pipe (removes the socket), stop watching, flush the cache, then really quit.
    void (async () => {
      await step('closing the pipe', () => pipe.close());
      await step('closing the kubeconfig watcher', () => kube.close());
      await step('closing the window service', () => service.close());
      await step('removing the IPC handlers', () => unregisterIpc());
      await step('closing the broker', () => broker.close());
      await step('removing the tray', () => tray.destroy());
      closed = true;
      log.info('quit');
      app.quit();
    })();
  });
  service.onEvent((e) => {
    if (e.name === 'sessionsChanged' || e.name === 'kubeconfigChanged') renderTray();
  });
  await service.handlers.getSnapshot({});
  if (closing) return; // quit from the tray while the kubeconfig loaded
  renderTray();
  // Refresh the "expires in" lines of the menu once a minute.
  menuTimer = setInterval(renderTray, 60_000);

  // The CLI starts the tray from this file when it is installed but not running.
  writeAppLaunchInfo(paths.runDir, buildAppLaunchInfo({ execPath: process.execPath, appImage: process.env.APPIMAGE, isPackaged: app.isPackaged, appPath: app.getAppPath(), pid: process.pid, version: app.getVersion() }));
  // On by default after install; applying it again is idempotent and repairs a moved app.
  await applyStartAtLogin(settings.get().startAtLogin).catch((e: unknown) => log.warn('start at login could not be set', { message: String(e) }));
  if (!wantsHiddenStart(process.argv)) appWindow.show();

  showWindow = () => appWindow.show();
}

/** Until start() has a window, a second launch has nothing to show. */
let showWindow: () => void = () => undefined;

// One tray per user session: a second launch only brings the first one's window forward.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  app.on('second-instance', () => showWindow());
  if (process.platform === 'darwin') app.dock?.hide();
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      log.error('KubeTray could not start', { message: e instanceof Error ? e.message : String(e) });
      app.exit(1);
    });
}
