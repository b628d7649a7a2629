/**
 * `npm test` entry: runs every compiled *.test.js under dist/ with Node's test runner.
 * Usage: node dist/test/run-tests.js [substring filters...]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

function collect(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.tsbuild') collect(full, out);
    } else if (entry.name.endsWith('.test.js')) {
      out.push(full);
    }
  }
}

const root = path.resolve(__dirname, '..');
const files: string[] = [];
collect(root, files);
const filters = process.argv.slice(2);
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...selected], {
  stdio: 'inherit',
  env: { ...process.env, KUBETRAY_TEST: '1' },
});
process.exit(result.status ?? 1);
