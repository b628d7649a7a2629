/**
 * Shared helpers for flows built on msal-node: AuthenticationResult -> FlowResult, and the silent
 * call every user flow uses (cache, then refresh token).
 */
import type { AuthenticationResult, SilentFlowRequest } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { FlowContext, FlowResult } from './sign-in-flow.js';

export function toFlowResult(result: AuthenticationResult | null, source: FlowResult['source'], ctx: Pick<FlowContext, 'pop'>): FlowResult {
  if (!result || !result.accessToken) throw new AppError('auth/failed', 'Entra ID returned no access token: try again, and check the KubeTray log if it persists.');
  const expiresOn = result.expiresOn ? result.expiresOn.getTime() : Date.now() + 60 * 60_000;
  const isPop = (result.tokenType ?? '').toLowerCase() === 'pop' || (ctx.pop !== undefined && result.tokenType !== 'Bearer');
  return {
    accessToken: result.accessToken,
    expiresOn,
    ...(result.refreshOn ? { refreshOn: result.refreshOn.getTime() } : {}),
    tokenType: isPop ? 'pop' : 'Bearer',
    ...(isPop && ctx.pop ? { popKid: ctx.pop.kid } : {}),
    ...(result.account ? { account: result.account } : {}),
    source: source === 'sign-in' ? 'sign-in' : result.fromCache ? 'cache' : 'refresh',
  };
}

/** acquireTokenSilent with the matched account (the broker found it); undefined without one. */
export async function msalSilent(ctx: FlowContext): Promise<FlowResult | undefined> {
  if (!ctx.account) return undefined;
  const pca = await ctx.env.apps.publicClient(ctx.authority, ctx.clientId);
  const base: SilentFlowRequest = {
    account: ctx.account,
    scopes: ctx.scopes,
    forceRefresh: ctx.forceRefresh,
    ...(ctx.claims ? { claims: ctx.claims } : {}),
  };
  const request = ctx.pop ? ctx.pop.apply(base, 'user') : base;
  return toFlowResult(await pca.acquireTokenSilent(request), 'refresh', ctx);
}
