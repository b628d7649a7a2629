/**
 * SignInWindow for headless use (`kubetray serve`, in-process get-token): opens the authorize
 * URL in the system browser ($BROWSER, else the platform opener) and always prints it on stderr
 * too, so a person on SSH can copy it. MSAL's loopback listener receives the redirect.
 */
import { spawn } from 'node:child_process';
import type { SignInWindow } from '../core/ports.js';

function opener(env: NodeJS.ProcessEnv): { cmd: string; args: string[] } | undefined {
  if (env.BROWSER && env.BROWSER.trim() !== '') return { cmd: env.BROWSER, args: [] };
  if (process.platform === 'darwin') return { cmd: 'open', args: [] };
  if (process.platform === 'win32') return { cmd: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { cmd: 'xdg-open', args: [] };
  return undefined;
}

export function createTerminalSignInWindow(say: (text: string) => void, env: NodeJS.ProcessEnv = process.env): SignInWindow {
  return {
    async open(url, options) {
      say(`kubetray: to sign in, open this address in a browser on this machine:\n${url}\n`);
      const how = opener(env);
      if (!how) return;
      try {
        // No shell: the URL is an argument, never interpreted.
        const child = spawn(how.cmd, [...how.args, url], { stdio: 'ignore', detached: true });
        child.on('error', () => undefined);
        child.unref();
      } catch {
        // printing the URL above is the fallback
      }
      void options;
    },
  };
}
