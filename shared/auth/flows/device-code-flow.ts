/**
 * --login devicecode (RFC 8628 through msal-node's acquireTokenByDeviceCode). The device code
 * message goes to every waiting caller as progress (the exec client prints it on stderr). The
 * person's time does not count against --timeout; the code's own expiry (expires_in) ends it.
 */
import type { DeviceCodeRequest } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import { isPolicyBlock, toAuthAppError } from '../aadsts-errors.js';
import { validateLegacy } from '../clouds-legacy.js';
import { msalSilent, toFlowResult } from './msal-result.js';
import type { SignInFlow } from './sign-in-flow.js';

export const signInFlow: SignInFlow = {
  login: 'devicecode',
  kind: 'user',
  validate(request) {
    validateLegacy(request);
    if (!request.clientId) throw new AppError('cli/invalid-flag', '--client-id is required for --login devicecode (AKS: 80faf920-1908-4b52-b5ef-a8e7bedfc67a).', { detail: { flag: 'client-id' } });
  },
  // --legacy (v1 tokens, METHODS clouds-legacy.ts): never answered from MSAL's v2 cache.
  acquireSilent: (ctx) => (ctx.request.legacy ? Promise.resolve(undefined) : msalSilent(ctx)),
  async acquire(ctx) {
    if (ctx.request.legacy) return (await import('../clouds-legacy.js')).acquireLegacyDeviceCode(ctx);
    const pca = await ctx.env.apps.publicClient(ctx.authority, ctx.clientId);
    const base: DeviceCodeRequest = {
      scopes: ctx.scopes,
      ...(ctx.claims ? { claims: ctx.claims } : {}),
      deviceCodeCallback: (r) =>
        ctx.onProgress({
          kind: 'device-code',
          message: r.message,
          userCode: r.userCode,
          verificationUri: r.verificationUri,
          expiresOn: ctx.env.clock.now() + r.expiresIn * 1000,
        }),
    };
    const request: DeviceCodeRequest = ctx.pop ? ctx.pop.apply(base, 'user') : base;
    // msal-node polls until `request.cancel` turns true (it keeps this very object).
    const stop = (): void => {
      request.cancel = true;
    };
    ctx.personSignal.addEventListener('abort', stop, { once: true });
    try {
      const result = await pca.acquireTokenByDeviceCode(request).catch((e: unknown) => {
        throw deviceCodeBlocked(e) ?? e;
      });
      if (ctx.personSignal.aborted) throw new AppError('auth/cancelled', 'The device code sign-in was cancelled.');
      return toFlowResult(result, 'sign-in', ctx);
    } finally {
      ctx.personSignal.removeEventListener('abort', stop);
    }
  },
};

/**
 * Conditional Access that blocks this sign-in (AADSTS53003 "authentication flows" policies that
 * forbid device code, 50097 device authentication, 53000/53001 device state, 530032): signing in
 * again by device code cannot help, a browser on this device can. Name that fix.
 * msal-node 7 turns every polling error other than authorization_pending into a bare
 * `post_request_failed` whose message is only the OAuth error (the AADSTS number is dropped), so
 * a polling `invalid_grant` — which Entra ID answers for these policy blocks — is treated the same.
 */
export function deviceCodeBlocked(e: unknown): AppError | undefined {
  const err = e as { errorCode?: unknown; errorMessage?: unknown } | null;
  const pollingRefused = err?.errorCode === 'post_request_failed' && err.errorMessage === 'invalid_grant';
  if (!isPolicyBlock(e) && !pollingRefused) return undefined;
  const what = isPolicyBlock(e)
    ? toAuthAppError(e, 'auth/ca-blocked', 'Device code sign-in was blocked').message
    : 'Entra ID refused the device code sign-in (invalid_grant), which is what a Conditional Access policy blocking device code sign-in looks like.';
  return new AppError(
    'auth/device-code-blocked',
    `${what} Sign in with a browser instead: from the KubeTray tray window, or switch this cluster to -l interactive (kubetray convert-kubeconfig -l interactive).`,
    { cause: e, detail: { login: 'devicecode' } },
  );
}
