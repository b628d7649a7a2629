// Finishes the desktop build after `tsc` and the renderer bundle:
// - bundles the sandboxed preload (a sandboxed preload can only require 'electron'), and
// - copies the window's static files (index.html, styles.css) next to dist/renderer/app.js.
// Usage: node build/bundle-desktop.mjs [outDir=dist]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.argv[2] ?? 'dist');

await build({
  entryPoints: [join(root, 'electron', 'preload.ts')],
  outfile: join(out, 'electron', 'preload.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});
mkdirSync(join(out, 'renderer'), { recursive: true });
for (const file of ['index.html', 'styles.css']) copyFileSync(join(root, 'renderer', file), join(out, 'renderer', file));
console.log(`desktop assets written to ${out}`);
