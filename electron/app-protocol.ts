/**
 * Serves the window's files on kubetray-app://app/ (see app-asset.ts for which files). The
 * scheme is registered as standard + secure before the app is ready; the handler is installed
 * on the app window's own session only, and sends the CSP as a header as well.
 */
import { protocol, type Session } from 'electron';
import * as fs from 'node:fs';
import { APP_SCHEME, resolveAppAsset } from './app-asset.js';
import { APP_CSP } from './window-options.js';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

export function serveAppFiles(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const asset = request.method === 'GET' ? resolveAppAsset(request.url, rendererDir) : undefined;
    if (!asset) return new Response('Not found', { status: 404 });
    try {
      const body = await fs.promises.readFile(asset.file);
      return new Response(body, { headers: { 'content-type': asset.type, 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
