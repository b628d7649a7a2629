/**
 * `--legacy` for -l devicecode and -l spn: kubelogin's v1 (ADAL) behaviour for clusters of the
 * retired "AKS-managed AAD legacy" integration, whose API server expects v1 tokens requested with
 * `resource=<server id>` (no `/.default`), the audience kubelogin documents with the `spn:` form.
 * kubelogin does this with go-autorest's adal against `<authority>/<tenant>/oauth2/token` and
 * `/oauth2/devicecode?api-version=1.0`.
 *
 * msal-node speaks only the v2 endpoints (`scope`), and its password / device code / client
 * credentials clients put extra parameters only in the query string, so it cannot send the v1
 * form body. These two small exchanges are therefore done here, over the broker's network
 * client (same trust, timeouts and no-body logging). The broker keeps the results in memory;
 * legacy device code tokens are not refreshed silently (kubelogin's legacy cache file is not
 * reproduced): the person signs in again when one expires.
 */
import * as crypto from 'node:crypto';
import { AppError } from '../core/app-error.js';
import { toAuthAppError } from './aadsts-errors.js';
import type { ClientCredential, FlowAuthority, FlowContext, FlowResult } from './flows/sign-in-flow.js';

/** kubelogin: the first scope with "/.default" removed (and no trailing '/'). */
export function legacyResource(serverId: string): string {
  return serverId.trim().replace('/.default', '').replace(/\/+$/, '');
}

export function legacyTokenEndpoint(authority: FlowAuthority): string {
  return `${authority.authority}/oauth2/token`;
}

export function legacyDeviceCodeEndpoint(authority: FlowAuthority): string {
  return `${authority.authority}/oauth2/devicecode?api-version=1.0`;
}

/** kubelogin refuses PoP with --legacy (v1 tokens cannot be PoP-bound); say so instead. */
export function validateLegacy(request: { legacy?: boolean; popEnabled?: boolean; login: string }): void {
  if (request.legacy && request.popEnabled) {
    throw new AppError('cli/invalid-flag', `--legacy and --pop-enabled cannot be combined (-l ${request.login}): v1 tokens are never PoP-bound. Drop one of them.`, {
      detail: { flag: 'legacy' },
    });
  }
}

type Body = Record<string, unknown>;

async function post(ctx: FlowContext, url: string, form: Record<string, string>): Promise<{ status: number; body: Body }> {
  const res = await ctx.env.network.sendPostRequestAsync<Body>(url, {
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
  });
  return { status: res.status, body: (res.body ?? {}) as Body };
}

/** A v1 error body as the shape toAuthAppError reads (errorCode, errorNo, errorMessage). */
function v1Error(body: Body, context: string): AppError {
  const codes = Array.isArray(body.error_codes) ? body.error_codes : [];
  const shaped = {
    errorCode: typeof body.error === 'string' ? body.error : 'server_error',
    ...(typeof codes[0] === 'number' ? { errorNo: String(codes[0]) } : {}),
    errorMessage: typeof body.error_description === 'string' ? body.error_description : '',
  };
  return toAuthAppError(shaped, 'auth/failed', context);
}

function v1Result(body: Body, now: number): FlowResult {
  const token = body.access_token;
  if (typeof token !== 'string' || token === '') throw new AppError('auth/failed', 'Entra ID answered the v1 (--legacy) token request without an access token: try again.');
  const on = Number(body.expires_on);
  const inSeconds = Number(body.expires_in);
  const expiresOn = Number.isFinite(on) && on > 0 ? on * 1000 : now + (Number.isFinite(inSeconds) ? inSeconds : 3600) * 1000;
  return { accessToken: token, expiresOn, tokenType: 'Bearer', source: 'refresh' };
}

/** RFC 7523 client assertion for a certificate, as adal builds it (x5t = SHA-1 thumbprint). */
function certificateAssertion(credential: Extract<ClientCredential, { kind: 'certificate' }>, clientId: string, audience: string, now: number): string {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const x5t = Buffer.from(credential.thumbprintSha1, 'hex').toString('base64url');
  const header = { alg: 'RS256', typ: 'JWT', x5t, ...(credential.x5c ? { x5c: [credential.x5c] } : {}) };
  const seconds = Math.floor(now / 1000);
  const payload = { aud: audience, iss: clientId, sub: clientId, jti: crypto.randomUUID(), nbf: seconds, iat: seconds, exp: seconds + 600 };
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), credential.privateKeyPem).toString('base64url')}`;
}

/** `-l spn --legacy`: v1 client credentials with `resource=`. */
export async function acquireLegacyClientCredentials(ctx: FlowContext, credential: ClientCredential): Promise<FlowResult> {
  const url = legacyTokenEndpoint(ctx.authority);
  const now = ctx.env.clock.now();
  const form: Record<string, string> = { grant_type: 'client_credentials', client_id: ctx.clientId, resource: legacyResource(ctx.request.serverId) };
  if (credential.kind === 'secret') form.client_secret = credential.clientSecret;
  else {
    form.client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    form.client_assertion =
      credential.kind === 'certificate'
        ? certificateAssertion(credential, ctx.clientId, url, now)
        : typeof credential.clientAssertion === 'string'
          ? credential.clientAssertion
          : await credential.clientAssertion({ clientId: ctx.clientId, tokenEndpoint: url });
  }
  const res = await post(ctx, url, form);
  if (res.status !== 200 || typeof res.body.error === 'string') throw v1Error(res.body, 'Getting a v1 (--legacy) service principal token failed');
  return v1Result(res.body, now);
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('auth/cancelled', 'The device code sign-in was cancelled.'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError('auth/cancelled', 'The device code sign-in was cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `-l devicecode --legacy`: the v1 device code flow (adal's), polling until the person is done. */
export async function acquireLegacyDeviceCode(ctx: FlowContext): Promise<FlowResult> {
  const resource = legacyResource(ctx.request.serverId);
  const issued = await post(ctx, legacyDeviceCodeEndpoint(ctx.authority), { client_id: ctx.clientId, resource });
  const b = issued.body;
  if (issued.status !== 200 || typeof b.device_code !== 'string' || typeof b.user_code !== 'string') {
    throw v1Error(b, 'Starting the v1 (--legacy) device code sign-in failed');
  }
  const verificationUri = String(b.verification_url ?? b.verification_uri ?? '');
  const expiresIn = Number(b.expires_in) > 0 ? Number(b.expires_in) : 900;
  const intervalMs = (Number(b.interval) > 0 ? Number(b.interval) : 5) * 1000;
  const deadline = ctx.env.clock.now() + expiresIn * 1000;
  ctx.onProgress({
    kind: 'device-code',
    message: typeof b.message === 'string' ? b.message : `To sign in, open ${verificationUri} and enter the code ${b.user_code}.`,
    userCode: b.user_code,
    verificationUri,
    expiresOn: deadline,
  });
  let delay = intervalMs;
  for (;;) {
    await wait(delay, ctx.personSignal);
    if (ctx.env.clock.now() > deadline) throw new AppError('auth/timeout', 'The device code expired before the sign-in finished: run the command again.');
    const polled = await post(ctx, legacyTokenEndpoint(ctx.authority), { grant_type: 'device_code', client_id: ctx.clientId, resource, code: b.device_code });
    const error = polled.body.error;
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      delay += 5000;
      continue;
    }
    if (polled.status !== 200 || typeof error === 'string') throw v1Error(polled.body, 'The v1 (--legacy) device code sign-in failed');
    const result = v1Result(polled.body, ctx.env.clock.now());
    return { ...result, source: 'sign-in' };
  }
}
