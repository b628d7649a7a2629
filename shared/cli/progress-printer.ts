/**
 * Relays the broker's sign-in progress to the person at the terminal (stderr). A person at
 * kubectl must never wait on a silent terminal; each distinct message is printed once.
 */
import type { SignInProgress } from '../core/token-request.js';

export function formatProgress(progress: SignInProgress): string {
  switch (progress.kind) {
    case 'device-code':
      // MSAL's message already says "To sign in, use a web browser to open … and enter the code …".
      return progress.message;
    case 'browser':
    case 'waiting':
    case 'info':
      return `kubetray: ${progress.message}`;
  }
}

export function createProgressPrinter(write: (text: string) => void): (progress: SignInProgress) => void {
  const seen = new Set<string>();
  return (progress) => {
    const line = formatProgress(progress);
    if (seen.has(line)) return;
    seen.add(line);
    write(line.endsWith('\n') ? line : line + '\n');
  };
}
