/**
 * Remembers each authority's OpenID configuration in the cache directory, so a new process
 * (every headless `kubetray get-token` is one) answers from the token cache with NO network:
 * msal-node otherwise fetches `<authority>/v2.0/.well-known/openid-configuration` before every
 * first call of a process, even when the token is in the cache. Given back to msal-node as
 * `auth.authorityMetadata`. Public data (no secrets); refreshed after `maxAgeMs` (default 24 h).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { writeFileAtomic } from '../cache/atomic-file.js';

const SUFFIX = /\/(v2\.0\/)?\.well-known\/openid-configuration$/;
export const METADATA_MAX_AGE_MS = 24 * 60 * 60_000;

interface StoredMetadata {
  authority: string;
  fetchedAt: number;
  metadata: Record<string, unknown>;
}

const normalize = (authority: string): string => authority.replace(/\/+$/, '').toLowerCase();

export function authorityMetadataFile(cacheDir: string, authority: string): string {
  const h = crypto.createHash('sha256').update(normalize(authority)).digest('hex').slice(0, 20);
  return path.join(cacheDir, `authority-${h}.json`);
}

/** The stored OIDC document for `authority` as msal-node wants it (a JSON string), if fresh. */
export function readAuthorityMetadata(cacheDir: string, authority: string, now = Date.now(), maxAgeMs = METADATA_MAX_AGE_MS): string | undefined {
  try {
    const stored = JSON.parse(fs.readFileSync(authorityMetadataFile(cacheDir, authority), 'utf8')) as StoredMetadata;
    if (normalize(stored.authority) !== normalize(authority) || now - stored.fetchedAt > maxAgeMs) return undefined;
    if (typeof stored.metadata?.token_endpoint !== 'string' || typeof stored.metadata?.authorization_endpoint !== 'string') return undefined;
    return JSON.stringify(stored.metadata);
  } catch {
    return undefined;
  }
}

/** Wraps a network module: successful OIDC configuration answers are stored as they pass. */
export function rememberAuthorityMetadata(inner: INetworkModule, cacheDir: string, now: () => number = Date.now): INetworkModule {
  return {
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => inner.sendPostRequestAsync<T>(url, options),
    async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
      const response = await inner.sendGetRequestAsync<T>(url, options, timeout);
      const target = new URL(url);
      if (response.status === 200 && SUFFIX.test(target.pathname)) {
        const body = response.body as unknown as Record<string, unknown>;
        if (body && typeof body.token_endpoint === 'string') {
          const authority = `${target.origin}${target.pathname.replace(SUFFIX, '')}`;
          try {
            fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
            const stored: StoredMetadata = { authority, fetchedAt: now(), metadata: body };
            writeFileAtomic(authorityMetadataFile(cacheDir, authority), Buffer.from(JSON.stringify(stored)), 0o600);
          } catch {
            // Only an optimisation: the next process fetches it again.
          }
        }
      }
      return response;
    },
  };
}
