/** Waiting for the test $BROWSER processes (methods-browser-cli.ts) to exit. */
import * as fs from 'node:fs';

/** Resolves once every browser started under `dir` has marked itself done (event-based). */
export function waitForBrowsers(dir: string): Promise<void> {
  const pending = (): boolean => {
    const names = fs.readdirSync(dir);
    return names.some((n) => n.endsWith('.started') && !names.includes(n.replace(/\.started$/, '.done')));
  };
  return new Promise((resolve) => {
    if (!pending()) return resolve();
    const watcher = fs.watch(dir, () => {
      if (!pending()) {
        watcher.close();
        resolve();
      }
    });
  });
}
