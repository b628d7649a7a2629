/**
 * The window's files are served from a custom scheme (kubetray-app://app/...) instead of
 * file:// (Electron security checklist: "Avoid usage of the file:// protocol"). This pure
 * resolver decides which file a request may read: only known types, only inside the renderer
 * folder, no traversal, no query tricks.
 */
import * as path from 'node:path';

export const APP_SCHEME = 'kubetray-app';
export const APP_HOST = 'app';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export function resolveAppAsset(requestUrl: string, rootDir: string): { file: string; type: string } | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, '.' + path.posix.normalize(pathname));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  const type = TYPES[path.extname(file).toLowerCase()];
  return type ? { file, type } : undefined;
}
