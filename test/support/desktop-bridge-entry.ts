/**
 * Bundled (esbuild, IIFE) into an init script for the renderer page in the desktop suites: it
 * plays the preload's part. `window.kubetray` is built by the same buildKubeTrayApi the preload
 * uses; the transport is a Playwright binding (invoke) and a page function the harness calls
 * to deliver main->renderer events.
 */
import { buildKubeTrayApi } from '../../shared/contract/ipc-bridge.js';

interface HarnessWindow {
  __kubetrayInvoke(channel: string, payload: unknown): Promise<unknown>;
  __kubetrayEmit?: (channel: string, payload: unknown) => void;
  kubetray?: unknown;
}

const w = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<(payload: unknown) => void>>();
w.__kubetrayEmit = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l(payload);
};
const api = buildKubeTrayApi({
  invoke: (channel, payload) => w.__kubetrayInvoke(channel, payload),
  on: (channel, listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
});
Object.defineProperty(window, 'kubetray', { value: Object.freeze(api), writable: false, configurable: false });
