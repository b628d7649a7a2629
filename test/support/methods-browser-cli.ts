/**
 * A `$BROWSER` for end-to-end tests of `-l interactive`: `node methods-browser-cli.js <url>`
 * opens the URL in real Chromium (Playwright, /usr/bin/chromium), signs in on the Entra ID
 * emulator's pages as METHODS_BROWSER_USER / METHODS_BROWSER_PASSWORD, waits for MSAL's loopback
 * page, closes Chromium and exits. It exits by itself (60 s at most), so no process is left
 * behind even though the system-browser launcher detaches it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchSignInBrowser, playwrightSignInWindow } from './broker-playwright-sign-in.js';

/** METHODS_BROWSER_DIR gets `<pid>.started` and `<pid>.done`, so the test can wait for the exit. */
const marks = process.env.METHODS_BROWSER_DIR;
const mark = (what: string): void => {
  if (marks) fs.writeFileSync(path.join(marks, `${process.pid}.${what}`), '');
};

async function main(): Promise<number> {
  const url = process.argv[2];
  if (!url) return 2;
  mark('started');
  const guard = setTimeout(() => process.exit(3), 60_000);
  const browser = await launchSignInBrowser();
  try {
    const window = playwrightSignInWindow(browser, {
      mode: 'complete',
      username: process.env.METHODS_BROWSER_USER ?? '',
      password: process.env.METHODS_BROWSER_PASSWORD ?? '',
    });
    await window.open(url, { signal: new AbortController().signal, onClosedByUser: () => undefined });
    await window.settled();
    return window.errors.length === 0 ? 0 : 1;
  } finally {
    await browser.close();
    clearTimeout(guard);
  }
}

main().then(
  (code) => {
    mark('done');
    process.exit(code);
  },
  () => {
    mark('done');
    process.exit(1);
  },
);

