/**
 * msal-node plumbing for tests against the emulators: a network client (msal's INetworkModule
 * shape) that trusts the emulator CA in-process — NODE_EXTRA_CA_CERTS is read only at process
 * start — and config builders. The product has its own network client (BROKER); this one is
 * for tests and behaves like msal-node's default fetch client: resolves on 4xx/5xx with the
 * parsed body, rejects on network and JSON errors.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.js';

export interface CaptureEntry {
  method: 'GET' | 'POST';
  url: string;
  status: number;
}

export interface EmulatorNetworkClient extends INetworkModule {
  /** Every request msal made through it (no bodies: they hold secrets). */
  readonly requests: CaptureEntry[];
  /** Closes idle keep-alive sockets (call in `after`). */
  destroy(): void;
}

export function msalNetworkClient(caPem: string): EmulatorNetworkClient {
  const agent = new https.Agent({ ca: caPem, keepAlive: true });
  const requests: CaptureEntry[] = [];
  const send = <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = method === 'POST' ? (options?.body ?? '') : undefined;
      // Managed identity endpoints (IMDS, App Service) are plain http on 127.0.0.1.
      const plain = url.startsWith('http:');
      const req = (plain ? http : https).request(
        url,
        {
          method,
          agent: plain ? undefined : agent,
          headers: { ...(options?.headers ?? {}), ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
          timeout,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            requests.push({ method, url, status: res.statusCode ?? 0 });
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            try {
              resolve({ headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T, status: res.statusCode ?? 0 });
            } catch (error) {
              reject(new Error(`Failed to parse response from ${new URL(url).pathname}: ${(error as Error).message}`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('Request timeout')));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  return {
    requests,
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
    destroy: () => agent.destroy(),
  };
}

/** A ready msal-node Configuration for a client against the Entra emulator. */
export function msalConfigFor(
  entra: EntraEmulator,
  networkClient: INetworkModule,
  auth: { clientId: string; tenant?: string; clientSecret?: string; clientCertificate?: { thumbprintSha256?: string; thumbprint?: string; privateKey: string; x5c?: string }; clientAssertion?: string | (() => Promise<string>); clientCapabilities?: string[] },
): Configuration {
  const { tenant, ...rest } = auth;
  return {
    auth: { ...rest, authority: entra.authority(tenant), knownAuthorities: entra.knownAuthorities },
    system: { networkClient },
  };
}
