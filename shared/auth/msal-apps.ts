/**
 * msal-node applications with KubeTray's network client and `clientCapabilities: ['CP1']` (so
 * Entra ID may send claims challenges instead of hard failures: Conditional Access, CAE).
 * - public clients (people): one per (authority, client), each with its own cache plugin
 *   instance over the shared per-(authority host, client) encrypted cache file;
 * - confidential clients (service principals): one per (authority, client, credential) with
 *   MSAL's in-memory cache only. App tokens are never written to disk: the credential gets a new
 *   one in one request, and a shared persistent cache would hand a cached token to a caller with
 *   a WRONG secret for the same client id.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfidentialClientApplication, LogLevel, PublicClientApplication, type Configuration, type INetworkModule } from '@azure/msal-node';
import type { Logger } from '../core/log.js';
import type { SecretBox } from '../core/ports.js';
import { EncryptedCachePlugin } from '../cache/encrypted-cache-plugin.js';
import { acquireFileLock, type FileLockOptions } from '../cache/file-lock.js';
import { readAuthorityMetadata, rememberAuthorityMetadata } from './authority-metadata-cache.js';
import { AZURE_CLOUDS } from './clouds.js';
import type { ClientCredential, FlowAuthority, MsalApps } from './flows/sign-in-flow.js';

export interface MsalAppsOptions {
  cacheDir: string;
  secretBox: SecretBox;
  network: INetworkModule;
  log: Logger;
  lock?: FileLockOptions;
}

export interface KubeTrayMsalApps extends MsalApps {
  /** Removes every cache file's content (sign out everyone) and forgets all apps. */
  clearAll(): Promise<void>;
  /** The cache file for (authority host, client). */
  cacheFile(authorityHost: string, clientId: string): string;
}

const MAX_PUBLIC_APPS = 256;
const CACHE_FILE = /^msal-(user|app)-[0-9a-f]{24}\.cache$/;

/** True for the hosts of the Azure clouds KubeTray knows (and their aliases). */
export function isMicrosoftAuthority(authorityHost: string): boolean {
  const host = new URL(authorityHost).hostname.toLowerCase();
  return Object.values(AZURE_CLOUDS).some((c) => c.authorityAliases.includes(host));
}

/** `apps` whose public clients all live in one partition (see MsalApps.publicClient). */
export function bindPartition<T extends MsalApps>(apps: T, partition: string): T {
  return { ...apps, publicClient: (authority: FlowAuthority, clientId: string, p?: string) => apps.publicClient(authority, clientId, p ?? partition) };
}

/** File name for (authority host, client): hashed so odd hosts cannot escape the directory. */
export function cacheFileName(kind: 'user' | 'app', authorityHost: string, clientId: string): string {
  const h = crypto.createHash('sha256').update(`${authorityHost.toLowerCase()}\n${clientId.toLowerCase()}`).digest('hex').slice(0, 24);
  return `msal-${kind}-${h}.cache`;
}

export function createMsalApps(options: MsalAppsOptions): KubeTrayMsalApps {
  const publics = new Map<string, Promise<PublicClientApplication>>();
  const confidentials = new Map<string, Promise<ConfidentialClientApplication>>();
  const msalLog = options.log.child('msal');

  const network = rememberAuthorityMetadata(options.network, options.cacheDir);
  const system = (): Configuration['system'] => ({
    networkClient: network,
    loggerOptions: {
      piiLoggingEnabled: false,
      logLevel: LogLevel.Warning,
      // MSAL's messages pass our redactor too (createLogger redacts every record).
      loggerCallback: (level, message) => (level <= LogLevel.Error ? msalLog.warn(message) : msalLog.debug(message)),
    },
  });

  const plugin = (authority: FlowAuthority, clientId: string): EncryptedCachePlugin => {
    const p = new EncryptedCachePlugin({
      file: path.join(options.cacheDir, cacheFileName('user', authority.authorityHost, clientId)),
      secretBox: options.secretBox,
      log: options.log.child('cache'),
      lock: options.lock,
    });
    return p;
  };

  const auth = (authority: FlowAuthority, clientId: string) => {
    const metadata = readAuthorityMetadata(options.cacheDir, authority.authority);
    return {
      clientId,
      authority: authority.authority,
      knownAuthorities: authority.knownAuthorities,
      clientCapabilities: ['CP1'],
      ...(metadata ? { authorityMetadata: metadata } : {}),
    };
  };

  return {
    async publicClient(authority, clientId, partition = '') {
      const key = `${authority.authority.toLowerCase()}\n${clientId}\n${partition}`;
      let app = publics.get(key);
      if (!app) {
        app = Promise.resolve(
          new PublicClientApplication({ auth: auth(authority, clientId), cache: { cachePlugin: plugin(authority, clientId) }, system: system() }),
        );
        publics.set(key, app);
        // One instance per partition (token key): keep the most recent few hundred. An evicted
        // instance still finishes what it is doing; the next call makes a new one from the file.
        if (publics.size > MAX_PUBLIC_APPS) publics.delete(publics.keys().next().value as string);
      }
      return app;
    },
    async confidentialClient(authority, clientId, credential: ClientCredential, credentialId) {
      const key = `${authority.authority.toLowerCase()}\n${clientId}\n${credentialId}`;
      let app = confidentials.get(key);
      if (!app) {
        const secretPart =
          credential.kind === 'secret'
            ? { clientSecret: credential.clientSecret }
            : credential.kind === 'certificate'
              ? {
                  clientCertificate: {
                    // Microsoft clouds: x5t#S256 with PS256 (msal-node's default). Other authorities
                    // (ADFS, Azure Stack with AD FS) may only know the SHA-1 x5t with RS256.
                    ...(isMicrosoftAuthority(authority.authorityHost) ? { thumbprintSha256: credential.thumbprintSha256 } : { thumbprint: credential.thumbprintSha1 }),
                    privateKey: credential.privateKeyPem,
                    ...(credential.x5c ? { x5c: credential.x5c } : {}),
                  },
                }
              : { clientAssertion: credential.clientAssertion };
        app = Promise.resolve(
          new ConfidentialClientApplication({
            auth: { ...auth(authority, clientId), ...secretPart },
            system: system(),
          }),
        );
        confidentials.set(key, app);
      }
      return app;
    },
    async clearConfidential(authority, clientId) {
      const prefix = `${authority.authority.toLowerCase()}\n${clientId}\n`;
      for (const key of [...confidentials.keys()]) if (key.startsWith(prefix)) confidentials.delete(key);
    },
    async clearAll() {
      publics.clear();
      confidentials.clear();
      let names: string[] = [];
      try {
        names = fs.readdirSync(options.cacheDir);
      } catch {
        return;
      }
      for (const name of names) {
        if (!CACHE_FILE.test(name)) continue;
        const file = path.join(options.cacheDir, name);
        const release = await acquireFileLock(file, options.lock);
        try {
          fs.rmSync(file, { force: true });
        } finally {
          release();
        }
      }
    },
    cacheFile(authorityHost, clientId) {
      return path.join(options.cacheDir, cacheFileName('user', authorityHost, clientId));
    },
  };
}
