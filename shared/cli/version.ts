/** The KubeTray version, read from the nearest package.json named kubetray above this file. */
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function kubetrayVersion(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kubetray' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  return (cached = '0.0.0-unknown');
}
