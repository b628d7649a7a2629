/**
 * The window's entry point (bundled by esbuild to dist/renderer/app.js, loaded by index.html).
 */
import { getApi } from './api.js';
import { startApp } from './app.js';

const root = document.getElementById('app');
if (root) {
  try {
    startApp(root, getApi());
  } catch (e) {
    root.textContent = e instanceof Error ? e.message : String(e);
  }
}
