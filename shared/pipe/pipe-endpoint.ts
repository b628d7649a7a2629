/**
 * Where the broker listens.
 *   Unix:    <KUBETRAY_HOME>/run/kubetray.sock in a 0700 directory. A socket path longer than
 *            sun_path (104 bytes on macOS, 108 on Linux, counting the NUL) falls back to
 *            <tmpdir>/kubetray-<hash of home>/kubetray.sock, also 0700 and owned by us.
 *   Windows: \\.\pipe\kubetray-<hash of user + home> (named pipes have no directory; the
 *            per-install secret is what keeps other users out).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppError } from '../core/app-error.js';

export const SOCKET_NAME = 'kubetray.sock';
/** macOS's sun_path is 104 bytes including the terminating NUL: the tighter of the two. */
export const MAX_SOCKET_PATH_BYTES = 103;

export interface PipeEndpoint {
  /** What net.connect / server.listen take. */
  path: string;
  /** The 0700 directory holding the socket (Unix only). */
  dir?: string;
}

export interface EndpointInput {
  home: string;
  runDir: string;
}

/**
 * FNV-1a 64-bit: names the fallback dir and the Windows pipe. Not a security boundary (the dir
 * is checked for owner and mode, and every request carries the secret), so no node:crypto on
 * the client's hot path.
 */
export function shortHash(text: string): string {
  let h = 0xcbf29ce484222325n;
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export function resolvePipeEndpoint(
  paths: EndpointInput,
  platform: NodeJS.Platform = process.platform,
  tmpdir: string = os.tmpdir(),
  user: string = safeUserName(),
): PipeEndpoint {
  if (platform === 'win32') {
    return { path: `\\\\.\\pipe\\kubetray-${shortHash(`${user}\n${path.resolve(paths.home)}`)}` };
  }
  const preferred = path.join(paths.runDir, SOCKET_NAME);
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return { path: preferred, dir: paths.runDir };
  const dir = path.join(tmpdir, `kubetray-${shortHash(`${user}\n${path.resolve(paths.home)}`)}`);
  return { path: path.join(dir, SOCKET_NAME), dir };
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '');
  }
}

/**
 * Creates the socket directory 0700 and checks it is ours and not a symlink: a directory someone
 * else made (e.g. in a shared /tmp) could let them swap the socket. Servers call this.
 */
export function ensureEndpointDir(endpoint: PipeEndpoint): void {
  if (!endpoint.dir) return;
  fs.mkdirSync(endpoint.dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(endpoint.dir);
  if (!st.isDirectory()) {
    throw new AppError('pipe/unavailable', `${endpoint.dir} is not a directory: remove it and start KubeTray again.`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new AppError('pipe/unavailable', `${endpoint.dir} belongs to another user: remove it or set KUBETRAY_HOME to a directory of your own.`);
  }
  if ((st.mode & 0o777) !== 0o700) fs.chmodSync(endpoint.dir, 0o700);
}

/**
 * Client-side check before sending the secret: the socket's directory must be ours, a real
 * directory and closed to others (0700). Otherwise someone else could have created it (the
 * tmpdir fallback is a shared place) and would receive the secret and the request. Returns why
 * not, or undefined when it is fine (or there is no directory, as on Windows). Clients check
 * before connecting and again once connected, before the first byte: the directory may appear
 * or change in between.
 */
export function untrustedEndpointReason(endpoint: PipeEndpoint, mustExist = false): string | undefined {
  if (!endpoint.dir) return undefined;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(endpoint.dir);
  } catch {
    // Before connecting: not there means connect fails with ENOENT ("no broker"). Once connected
    // (mustExist), a directory that is gone is not one we can vouch for.
    return mustExist ? `${endpoint.dir} is gone` : undefined;
  }
  const uid = process.getuid?.();
  if (!st.isDirectory()) return `${endpoint.dir} is not a directory`;
  if (uid !== undefined && st.uid !== uid) return `${endpoint.dir} belongs to another user`;
  if ((st.mode & 0o077) !== 0) return `${endpoint.dir} is open to other users (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}
