/**
 * --login devicecode (RFC 8628 through msal-node's acquireTokenByDeviceCode). The device code
 * message goes to every waiting caller as progress (the exec client prints it on stderr). The
 * person's time does not count against --timeout; the code's own expiry (expires_in) ends it.
 */
import type { DeviceCodeRequest } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import { msalSilent, toFlowResult } from './msal-result.js';
import type { SignInFlow } from './sign-in-flow.js';

export const signInFlow: SignInFlow = {
  login: 'devicecode',
  kind: 'user',
  validate(request) {
    if (!request.clientId) throw new AppError('cli/invalid-flag', '--client-id is required for --login devicecode (AKS: 80faf920-1908-4b52-b5ef-a8e7bedfc67a).', { detail: { flag: 'client-id' } });
  },
  acquireSilent: msalSilent,
  async acquire(ctx) {
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
      const result = await pca.acquireTokenByDeviceCode(request);
      if (ctx.personSignal.aborted) throw new AppError('auth/cancelled', 'The device code sign-in was cancelled.');
      return toFlowResult(result, 'sign-in', ctx);
    } finally {
      ctx.personSignal.removeEventListener('abort', stop);
    }
  },
};
