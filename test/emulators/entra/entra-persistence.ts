/**
 * Optional on-disk state for long-running emulators (`npm run demo`): tenant signing keys,
 * the external issuer key and refresh tokens survive a restart, so a cache written by the last
 * run (access tokens signed by these keys, refresh tokens the emulator remembers) keeps working.
 * Files are 0600 in a 0700 directory; they hold live test credentials and are never logged.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signingKeyFrom, type SigningKey } from '../jose/jose.js';
import type { EntraTenant } from './entra-directory.js';
import type { RefreshTokenStore } from './entra-refresh-tokens.js';

interface KeyFile {
  tenants: Record<string, string>;
  external?: string;
}

function writePrivate(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function keyFromPem(pem: string): SigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  return signingKeyFrom(privateKey, crypto.createPublicKey(privateKey));
}

function pemOf(key: SigningKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reuses stored tenant keys (by tenant id) and the external issuer key; stores new ones. */
export function persistKeys(dir: string, tenants: EntraTenant[], external: SigningKey): SigningKey {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'entra-keys.json');
  const stored: KeyFile = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile) : { tenants: {} };
  for (const tenant of tenants) {
    const pem = stored.tenants[tenant.id];
    if (pem) tenant.signingKey = keyFromPem(pem);
    else stored.tenants[tenant.id] = pemOf(tenant.signingKey);
  }
  const externalKey = stored.external ? keyFromPem(stored.external) : external;
  stored.external = pemOf(externalKey);
  writePrivate(file, JSON.stringify(stored));
  return externalKey;
}

/** Loads stored refresh tokens and writes them back after every change. */
export function persistRefreshTokens(dir: string, store: RefreshTokenStore): void {
  const file = path.join(dir, 'entra-refresh-tokens.json');
  if (fs.existsSync(file)) store.restore(JSON.parse(fs.readFileSync(file, 'utf8')) as ReturnType<RefreshTokenStore['snapshot']>);
  store.onChange = () => writePrivate(file, JSON.stringify(store.snapshot()));
}
