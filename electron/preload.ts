/**
 * Preload of the app window (sandboxed, CommonJS). Exposes `window.kubetray`, built from the
 * contract by buildKubeTrayApi: the API type and every call are derived, never re-declared.
 *
 * A sandboxed preload can only require('electron') and a few built-ins, so this file is
 * bundled (esbuild --bundle --platform=node --format=cjs --external:electron) into
 * dist/electron/preload.js by build/bundle-desktop.mjs.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildKubeTrayApi } from '../shared/contract/ipc-bridge.js';
import { ALLOWED_EVENT_CHANNELS, ALLOWED_INVOKE_CHANNELS } from '../shared/contract/ipc-contract.js';

const api = buildKubeTrayApi({
  invoke: (channel, payload) => {
    if (!ALLOWED_INVOKE_CHANNELS.has(channel)) return Promise.reject(new Error('unknown channel'));
    return ipcRenderer.invoke(channel, payload);
  },
  on: (channel, listener) => {
    if (!ALLOWED_EVENT_CHANNELS.has(channel)) return () => undefined;
    // Never hand the IpcRendererEvent (it carries `sender`) to the page.
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  },
});

contextBridge.exposeInMainWorld('kubetray', api);
