/**
 * The only way the window talks to KubeTray: `window.kubetray`, exposed by the preload and
 * typed by the contract (never re-declared here).
 */
import type { KubeTrayApi } from '../shared/contract/ipc-contract.js';

declare global {
  interface Window {
    kubetray?: KubeTrayApi;
  }
}

export function getApi(): KubeTrayApi {
  const api = window.kubetray;
  if (!api) throw new Error('KubeTray API missing: the window must be opened by KubeTray.');
  return api;
}
