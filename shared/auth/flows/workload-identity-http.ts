/**
 * A small JSON-over-HTTPS request for the OIDC token issuers of CI systems (GitHub Actions,
 * Azure Pipelines). These are not Entra ID endpoints, so msal-node does not call them; the
 * federated token they return becomes msal's client assertion.
 * The bearer credentials sent here and the tokens received never appear in errors.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { AppError } from '../../core/app-error.js';

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Trust settings (tests: an Agent with the emulator's CA). */
  agent?: https.Agent;
  /** Shown in errors, e.g. "GitHub Actions OIDC endpoint". */
  what: string;
}

export function requestJson(req: JsonRequest): Promise<{ status: number; body: unknown }> {
  const lib = req.url.protocol === 'http:' ? http : https;
  if (req.url.protocol !== 'https:' && !(req.url.protocol === 'http:' && isLoopback(req.url.hostname))) {
    return Promise.reject(new AppError('config/invalid', `${req.what} must be an https URL (got ${req.url.protocol}//${req.url.host}).`));
  }
  return new Promise((resolve, reject) => {
    const r = lib.request(
      req.url,
      {
        method: req.method,
        headers: { Accept: 'application/json', ...req.headers, ...(req.body !== undefined ? { 'Content-Length': Buffer.byteLength(req.body).toString() } : {}) },
        ...(req.agent && lib === https ? { agent: req.agent } : {}),
        timeout: req.timeoutMs ?? 30_000,
        ...(req.signal ? { signal: req.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 1_000_000) r.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = undefined;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', (e) => reject(networkError(req.what, e)));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timed out')));
    r.on('error', (e) => reject(networkError(req.what, e)));
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

function networkError(what: string, e: Error): AppError {
  return new AppError('auth/network', `${what} could not be reached (${e.message}): check the job's network and that the variables point at the right host.`, {
    cause: e,
  });
}

/** A short, token-free description of an unexpected answer. */
export function describeFailure(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const msg = [b.message, b.error_description, b.error, b.typeKey].find((v) => typeof v === 'string');
    if (typeof msg === 'string') return `HTTP ${status}: ${msg.slice(0, 200)}`;
  }
  return `HTTP ${status}`;
}
