/**
 * --login interactive: authorization code + PKCE through msal-node's acquireTokenInteractive.
 * MSAL listens on a loopback port (form_post to http://localhost:<port>) and calls openBrowser;
 * we hand the URL to the SignInWindow port (Electron window, system browser, Playwright).
 *
 * Cancel: msal-node has no cancel for the loopback wait, so when the person closes the window
 * (or every caller stops waiting) we post an OAuth error with the request's own `state` to the
 * loopback listener: MSAL then settles, closes its server, and the waiters get auth/cancelled.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { InteractiveRequest } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import { msalSilent, toFlowResult } from './msal-result.js';
import { AZURE_CLOUDS } from '../clouds.js';
import type { SignInFlow } from './sign-in-flow.js';

export const SUCCESS_TEMPLATE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed in - KubeTray</title></head>
<body style="font-family:system-ui,sans-serif;margin:48px"><h1>You are signed in</h1>
<p id="kubetray-signed-in">You can close this page and return to KubeTray.</p></body></html>`;

export const ERROR_TEMPLATE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed - KubeTray</title></head>
<body style="font-family:system-ui,sans-serif;margin:48px"><h1>Sign-in did not complete</h1>
<p id="kubetray-sign-in-failed">Return to KubeTray (or your terminal) to see what happened and try again.</p></body></html>`;

/** `--redirect-url http://localhost:8400` -> preferred loopback port 8400 (kubelogin's flag). */
export function preferredPortOf(redirectUrl: string | undefined): number | undefined {
  if (!redirectUrl) return undefined;
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    throw new AppError('cli/invalid-flag', `--redirect-url "${redirectUrl}" is not a URL: use http://localhost:<port>.`, { detail: { flag: 'redirect-url' } });
  }
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new AppError('cli/invalid-flag', `--redirect-url must be a loopback address such as http://localhost:8400.`, { detail: { flag: 'redirect-url' } });
  }
  return url.port ? Number(url.port) : undefined;
}

/** Tells MSAL's loopback listener that the sign-in ended without a code. */
export function postLoopbackError(redirectUri: string, state: string, error: string, description: string): Promise<void> {
  const port = Number(new URL(redirectUri).port);
  const body = new URLSearchParams({ state, error, error_description: description }).toString();
  return new Promise((resolve) => {
    // MSAL listens on 127.0.0.1 only (its redirect URI says localhost).
    const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve()); // already gone: nothing to cancel
    req.end(body);
  });
}

/**
 * The authorize URL must be on the authority's host, or on an alias of it that instance
 * discovery may pick (login.windows.net -> login.microsoftonline.com). Exact host comparison,
 * never startsWith (STYLE.md).
 */
export function expectAuthorityUrl(authorityHost: string, url: string): URL {
  const target = new URL(url);
  const authority = new URL(authorityHost);
  const aliases = Object.values(AZURE_CLOUDS).find((c) => c.authorityAliases.includes(authority.hostname))?.authorityAliases ?? [];
  const sameOrigin = target.origin === authority.origin;
  const alias = target.protocol === 'https:' && target.port === '' && aliases.includes(target.hostname);
  if (!sameOrigin && !alias) {
    throw new AppError('internal', `Refusing to open a sign-in page on ${target.host}; expected ${authority.host}.`);
  }
  return target;
}

export const signInFlow: SignInFlow = {
  login: 'interactive',
  kind: 'user',
  validate(request) {
    if (!request.clientId) throw new AppError('cli/invalid-flag', '--client-id is required for --login interactive (AKS: 80faf920-1908-4b52-b5ef-a8e7bedfc67a).', { detail: { flag: 'client-id' } });
    preferredPortOf(request.redirectUrl);
  },
  acquireSilent: msalSilent,
  async acquire(ctx) {
    const pca = await ctx.env.apps.publicClient(ctx.authority, ctx.clientId);
    const windowDone = new AbortController();
    let pending: { redirectUri: string; state: string } | undefined;
    let cancelled: AppError | undefined;
    const cancel = (reason: AppError): void => {
      if (cancelled) return;
      cancelled = reason;
      windowDone.abort(reason);
      if (pending) void postLoopbackError(pending.redirectUri, pending.state, 'access_denied', 'The sign-in was cancelled in KubeTray.');
    };
    const onPersonAbort = (): void =>
      cancel(ctx.personSignal.reason instanceof AppError ? ctx.personSignal.reason : new AppError('auth/cancelled', 'The sign-in was cancelled.'));
    ctx.personSignal.addEventListener('abort', onPersonAbort, { once: true });

    const port = preferredPortOf(ctx.request.redirectUrl);
    const base: InteractiveRequest = {
      scopes: ctx.scopes,
      // msal-node sends no nonce unless asked; with one it also checks the id_token's nonce.
      nonce: crypto.randomUUID(),
      ...(ctx.claims ? { claims: ctx.claims } : {}),
      ...(ctx.request.loginHint ? { loginHint: ctx.request.loginHint } : {}),
      ...(ctx.request.domainHint ? { domainHint: ctx.request.domainHint } : {}),
      ...(ctx.request.prompt ? { prompt: ctx.request.prompt } : {}),
      ...(port ? { preferredPort: port } : {}),
      successTemplate: SUCCESS_TEMPLATE,
      errorTemplate: ERROR_TEMPLATE,
      openBrowser: async (url: string) => {
        const target = expectAuthorityUrl(ctx.authority.authorityHost, url);
        const redirectUri = target.searchParams.get('redirect_uri') ?? '';
        const state = target.searchParams.get('state') ?? '';
        pending = { redirectUri, state };
        if (cancelled) throw cancelled;
        ctx.onProgress({ kind: 'browser', message: `Waiting for you to sign in in the KubeTray sign-in window (${target.host}).` });
        await ctx.env.signInWindow.open(url, {
          signal: windowDone.signal,
          redirectUri,
          onClosedByUser: () => cancel(new AppError('auth/cancelled', 'The sign-in window was closed before the sign-in finished: run the command again to retry.')),
        });
      },
    };
    const request = ctx.pop ? ctx.pop.apply(base, 'user') : base;
    try {
      const result = await pca.acquireTokenInteractive(request);
      return toFlowResult(result, 'sign-in', ctx);
    } catch (e) {
      if (cancelled) throw cancelled;
      throw e;
    } finally {
      ctx.personSignal.removeEventListener('abort', onPersonAbort);
      if (!windowDone.signal.aborted) windowDone.abort();
    }
  },
};
