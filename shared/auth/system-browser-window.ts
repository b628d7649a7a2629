/**
 * SignInWindow for headless use: the person's own browser. `$BROWSER` wins (the Unix convention:
 * a ':'-separated list of commands, `%s` for the URL), else xdg-open / open / `cmd /c start`.
 * Never through a shell: the URL is one argv entry (on Windows, cmd's metacharacters are
 * escaped, because `start` is a cmd built-in). We cannot see the person close a browser tab, so
 * cancellation comes from the caller (Ctrl-C) or the timeout of the whole command.
 */
import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../core/log.js';
import type { SignInWindow } from '../core/ports.js';

export interface BrowserCommand {
  command: string;
  args: string[];
  windowsVerbatimArguments?: boolean;
}

/** Escapes cmd.exe metacharacters so `start` receives the URL as one literal argument. */
export function escapeForCmd(url: string): string {
  return url.replace(/[\^&|<>()%!"]/g, (c) => `^${c}`);
}

/** The commands to try, in order, for `url`. Pure, so it is testable on every platform. */
export function resolveBrowserCommands(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): BrowserCommand[] {
  const out: BrowserCommand[] = [];
  const fromEnv = (env.BROWSER ?? '').trim();
  if (fromEnv !== '') {
    for (const entry of fromEnv.split(platform === 'win32' ? ';' : ':')) {
      const words = entry.trim().split(/\s+/).filter((w) => w !== '');
      if (words.length === 0) continue;
      const [command, ...rest] = words as [string, ...string[]];
      const hasPlaceholder = rest.some((w) => w.includes('%s'));
      out.push({ command, args: hasPlaceholder ? rest.map((w) => w.replace(/%s/g, url)) : [...rest, url] });
    }
  }
  if (platform === 'darwin') out.push({ command: 'open', args: [url] });
  else if (platform === 'win32') out.push({ command: 'cmd', args: ['/d', '/s', '/c', `start "" ${escapeForCmd(url)}`], windowsVerbatimArguments: true });
  else out.push({ command: 'xdg-open', args: [url] });
  return out;
}

export interface SystemBrowserWindowOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  log?: Logger;
  /** For tests: replaces child_process.spawn. */
  spawn?: typeof nodeSpawn;
}

function launch(spawn: typeof nodeSpawn, cmd: BrowserCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    const options: SpawnOptions = { stdio: 'ignore', detached: true, shell: false, ...(cmd.windowsVerbatimArguments ? { windowsVerbatimArguments: true } : {}) };
    const child = spawn(cmd.command, cmd.args, options);
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export function createSystemBrowserWindow(options: SystemBrowserWindowOptions = {}): SignInWindow {
  const spawn = options.spawn ?? nodeSpawn;
  return {
    async open(url) {
      const host = new URL(url).host;
      const tried: string[] = [];
      for (const cmd of resolveBrowserCommands(url, options.env ?? process.env, options.platform ?? process.platform)) {
        try {
          await launch(spawn, cmd);
          options.log?.info('opened the sign-in page in the browser', { command: cmd.command, host });
          return;
        } catch (e) {
          tried.push(`${cmd.command} (${(e as NodeJS.ErrnoException).code ?? 'failed'})`);
        }
      }
      throw new AppError(
        'auth/failed',
        `Could not open a browser (tried ${tried.join(', ')}). Set $BROWSER, or use --login devicecode on machines without a browser.`,
      );
    },
  };
}
