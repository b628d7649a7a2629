/**
 * The one way tests start Chromium. Debian's /usr/bin/chromium where it exists (CI: Playwright's
 * own browser download cannot reach its host there); elsewhere KUBETRAY_CHROMIUM, another system
 * Chromium, or the browser `npx playwright install chromium` downloaded. No Chromium at all is a
 * clear error that says how to get one, not a Playwright stack trace.
 */
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright';

// Loopback-only machines refuse Chromium's background connections; keep it quiet and local.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function resolveChromium(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = fs.existsSync): string {
  const explicit = env.KUBETRAY_CHROMIUM;
  if (explicit) {
    if (!exists(explicit)) throw new Error(`KUBETRAY_CHROMIUM=${explicit} does not exist.`);
    return explicit;
  }
  const system = SYSTEM_CHROMIUMS.find((p) => exists(p));
  if (system) return system;
  const downloaded = chromium.executablePath();
  if (downloaded && exists(downloaded)) return downloaded;
  throw new Error('No Chromium for the browser tests: install it (Debian: apt-get install chromium) or run `npx playwright install chromium`, or set KUBETRAY_CHROMIUM.');
}

export function launchTestChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: resolveChromium(), args: CHROMIUM_ARGS, headless: true });
}
