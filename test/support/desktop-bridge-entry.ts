/**
 * Bundled (esbuild, IIFE) into an init script for the renderer page in the desktop suites: it
 * plays the preload's part. `window.kubetray` is built by the same buildKubeTrayApi the preload
 * uses; the transport is a Playwright binding (invoke) and a page function the harness calls
 * to deliver main->renderer events.
 */
import { buildKubeTrayApi } from '../../shared/contract/ipc-bridge.js';

// Payloads cross the Playwright binding as JSON text: Playwright's own value serialisation is
// slow for a 1,000-row snapshot, and Electron's IPC (structured clone) has no such cost.
interface HarnessWindow {
  __kubetrayInvoke(channel: string, payloadJson: string): Promise<string>;
  __kubetrayEmit?: (channel: string, payloadJson: string) => void;
  kubetray?: unknown;
}

const w = window as unknown as HarnessWindow;
const listeners = new Map<string, Set<(payload: unknown) => void>>();
w.__kubetrayEmit = (channel, payloadJson) => {
  const payload: unknown = JSON.parse(payloadJson);
  for (const l of listeners.get(channel) ?? []) l(payload);
};
const api = buildKubeTrayApi({
  invoke: async (channel, payload) => JSON.parse(await w.__kubetrayInvoke(channel, JSON.stringify(payload))) as unknown,
  on: (channel, listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
});
Object.defineProperty(window, 'kubetray', { value: Object.freeze(api), writable: false, configurable: false });
