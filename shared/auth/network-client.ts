/**
 * msal-node's INetworkModule over node:https, so KubeTray controls trust and timeouts:
 * - extra CA certificates (option, and `KUBETRAY_CA_FILE`) on top of Node's roots, without
 *   paying for NODE_EXTRA_CA_CERTS in every process;
 * - resolves (never rejects) on HTTP 4xx/5xx: MSAL reads `error` from the body (device code
 *   polling is a stream of 400 authorization_pending);
 * - a timeout per request and an optional abort signal;
 * - never logs bodies or headers (they carry codes, secrets and tokens): only method, host,
 *   path and status.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../core/log.js';

export interface NetworkClientOptions {
  /** Extra trusted CA certificates (PEM text, may hold several). */
  caPem?: string[];
  /** Read extra CAs from this file too; default `KUBETRAY_CA_FILE` from `env`. */
  caFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Per request (connect to last byte), default 30 s. */
  timeoutMs?: number;
  /** Aborts every request in flight and every later one (broker close). */
  signal?: AbortSignal;
  log?: Logger;
  /** Largest response body accepted, default 4 MiB. */
  maxBodyBytes?: number;
}

export interface KubeTrayNetworkClient extends INetworkModule {
  readonly agent: https.Agent;
  /** The extra CAs in use (PEM), for flows that make their own HTTPS calls. */
  readonly extraCaPem: string[];
  close(): void;
}

/** Extra CA PEMs from the option and the CA file (option wins nothing: both are trusted). */
export function loadExtraCas(options: Pick<NetworkClientOptions, 'caPem' | 'caFile' | 'env'>): string[] {
  const out = [...(options.caPem ?? [])];
  const file = options.caFile ?? (options.env ?? process.env).KUBETRAY_CA_FILE;
  if (file && file.trim() !== '') {
    try {
      out.push(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AppError('config/invalid', `Cannot read the CA file ${file} (KUBETRAY_CA_FILE): check the path, or unset it.`, { cause: e });
    }
  }
  return out;
}

export function createNetworkClient(options: NetworkClientOptions = {}): KubeTrayNetworkClient {
  const extraCaPem = loadExtraCas(options);
  // Node's roots plus ours: `ca` replaces the default list, so add the roots back explicitly.
  const ca = extraCaPem.length > 0 ? [...tls.rootCertificates, ...extraCaPem] : undefined;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ...(ca ? { ca } : {}) });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const log = options.log;

  function send<T>(method: 'GET' | 'POST', url: string, opts: NetworkRequestOptions | undefined, timeout?: number): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new AppError('auth/network', 'KubeTray is shutting down: the request was not sent.'));
        return;
      }
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new AppError('auth/network', `Refusing to send a token request over ${target.protocol} to ${target.host}: use https.`));
        return;
      }
      const body = method === 'POST' ? (opts?.body ?? '') : undefined;
      const headers: Record<string, string | number> = { ...(opts?.headers ?? {}) };
      if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
      const started = Date.now();
      const req = https.request(target, { method, agent, headers, timeout: timeout ?? timeoutMs, signal: options.signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBody) {
            req.destroy(new AppError('auth/network', `The response from ${target.host} is larger than ${maxBody} bytes: check --authority-host.`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => reject(toNetworkError(e, target)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          log?.debug('http', { method, host: target.host, path: target.pathname, status, ms: Date.now() - started });
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = {};
          if (text.trim() !== '') {
            try {
              parsed = JSON.parse(text);
            } catch {
              // Not JSON (an HTML error page from a proxy): give MSAL an error it can report.
              parsed = { error: 'server_error', error_description: `non-JSON response (HTTP ${status}) from ${target.host}` };
            }
          }
          const outHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) outHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status, headers: outHeaders, body: parsed as T });
        });
      });
      req.on('timeout', () => req.destroy(new AppError('auth/network', `No answer from ${target.host} within ${Math.round((timeout ?? timeoutMs) / 1000)} s: check the network or raise --timeout.`)));
      req.on('error', (e) => reject(toNetworkError(e, target)));
      req.end(body);
    });
  }

  return {
    agent,
    extraCaPem,
    sendGetRequestAsync: <T>(url: string, opts?: NetworkRequestOptions, timeout?: number) => send<T>('GET', url, opts, timeout),
    sendPostRequestAsync: <T>(url: string, opts?: NetworkRequestOptions) => send<T>('POST', url, opts),
    close: () => agent.destroy(),
  };
}

function toNetworkError(e: unknown, target: URL): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: unknown }).code;
  const name = typeof code === 'string' ? code : (e as Error).name;
  const certProblem = typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code);
  const hint = certProblem
    ? 'the server certificate is not trusted: set KUBETRAY_CA_FILE to your proxy or authority CA (PEM)'
    : name === 'AbortError'
      ? 'the request was cancelled'
      : 'check the network, proxy and --authority-host';
  return new AppError('auth/network', `Could not reach ${target.host} (${name}): ${hint}.`, { cause: e, detail: { host: target.host, ...(typeof code === 'string' ? { errno: code } : {}) } });
}
