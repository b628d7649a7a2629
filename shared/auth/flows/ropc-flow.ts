/**
 * `-l ropc`: resource owner password credentials (username + password) through msal-node's
 * acquireTokenByUsernamePassword. Entra ID refuses it for MFA, federated and personal accounts
 * (AADSTS50076 / 50079 / 50126 / 7000218); it exists for kubelogin parity and test automation.
 * Inputs: --username / AAD_USER_PRINCIPAL_NAME / AZURE_USERNAME, --password /
 * AAD_USER_PRINCIPAL_PASSWORD / AZURE_PASSWORD, --client-id, --tenant-id (kubelogin names).
 *
 * No person is ever involved, so the flow is registered as kind 'app' (network work only): the
 * broker calls `acquire` even for KUBERNETES_EXEC_INFO interactive=false callers, as kubelogin
 * works there, and keys the session by the username (keyParts) so two kubeconfig users with
 * different --username never share a token. `acquire` is silent-first: the cached account for
 * that username refreshes with its refresh token (msal public client, broker cache plugin);
 * only without one, or when Entra ID revoked it (AADSTS50173 / 70043 / 700082: the account is
 * dropped first), does it send the password again. The password is never stored by KubeTray.
 */
import type { AccountInfo, PublicClientApplication } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import { extractAadsts, isRevokedRefresh } from '../aadsts-errors.js';
import { POP_KIND_FOR } from '../pop/pop-msal.js';
import type { FlowContext, FlowResult, SignInFlow } from './sign-in-flow.js';
import { toFlowResult } from './msal-result.js';

function need(request: TokenRequest): { username: string; password: string } {
  if (!request.username) throw new AppError('config/invalid', 'ropc login needs a username: pass --username or set AAD_USER_PRINCIPAL_NAME / AZURE_USERNAME.', { detail: { method: 'ropc' } });
  if (!request.password) throw new AppError('config/invalid', 'ropc login needs a password: pass --password or set AAD_USER_PRINCIPAL_PASSWORD / AZURE_PASSWORD.', { detail: { method: 'ropc' } });
  return { username: request.username, password: request.password };
}

const sameUser = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The cached account for this username in this tenant, if any. */
export async function findRopcAccount(app: PublicClientApplication, ctx: Pick<FlowContext, 'account' | 'authority'>, username: string): Promise<AccountInfo | undefined> {
  if (ctx.account && sameUser(ctx.account.username, username)) return ctx.account;
  const accounts = await app.getTokenCache().getAllAccounts();
  const tenant = ctx.authority.tenant.toLowerCase();
  const generic = tenant === 'organizations' || tenant === 'common';
  return accounts.find((a) => sameUser(a.username, username) && (generic || a.tenantId.toLowerCase() === tenant));
}

/**
 * The password grant has no second factor: AADSTS50076 / 50079 / 50074 / 50158 (MFA, MFA
 * registration, strong auth, external challenge) cannot be fixed by "signing in again" with -l ropc.
 * Say which login method can.
 */
const NEEDS_A_PERSON = new Set([50076, 50079, 50074, 50158]);

export function ropcCannot(e: unknown): AppError | undefined {
  const n = extractAadsts(e);
  if (n === undefined || !NEEDS_A_PERSON.has(n)) return undefined;
  return new AppError(
    'auth/unsupported-method',
    `This account must complete multi-factor authentication (AADSTS${n}), which the password grant (-l ropc) cannot do: use -l interactive or -l devicecode (kubetray convert-kubeconfig -l interactive), or an account without MFA for automation.`,
    { cause: e, detail: { aadsts: n, method: 'ropc' } },
  );
}

async function passwordGrant(ctx: FlowContext, app: PublicClientApplication): Promise<FlowResult> {
  const { username, password } = need(ctx.request);
  let req: { scopes: string[]; username: string; password: string; claims?: string; extraQueryParameters?: Record<string, string> } = {
    scopes: ctx.scopes,
    username,
    password,
    ...(ctx.claims ? { claims: ctx.claims } : {}),
  };
  // The password grant copies only extraQueryParameters (pop-msal.ts POP_KIND_FOR).
  if (ctx.pop) req = ctx.pop.apply(req, POP_KIND_FOR.acquireTokenByUsernamePassword);
  const r = await app.acquireTokenByUsernamePassword(req).catch((e: unknown) => {
    throw ropcCannot(e) ?? e;
  });
  if (!r) throw new AppError('auth/failed', 'Entra ID answered without an access token: try again.');
  return toFlowResult(r, 'sign-in', ctx);
}

async function silentFirst(ctx: FlowContext): Promise<FlowResult> {
  const { username } = need(ctx.request);
  const app = await ctx.env.apps.publicClient(ctx.authority, ctx.clientId);
  const account = await findRopcAccount(app, ctx, username);
  if (account && !ctx.claims) {
    try {
      let req: { account: AccountInfo; scopes: string[]; forceRefresh: boolean; extraParameters?: Record<string, string> } = {
        account,
        scopes: ctx.scopes,
        // MSAL never serves a PoP access token from its cache, and must not serve a Bearer one
        // for a PoP request: PoP always refreshes (the broker caches the result).
        forceRefresh: ctx.forceRefresh || !!ctx.pop,
      };
      if (ctx.pop) req = ctx.pop.apply(req, POP_KIND_FOR.acquireTokenSilent);
      return toFlowResult(await app.acquireTokenSilent(req), 'refresh', ctx);
    } catch (e) {
      if (isRevokedRefresh(e)) {
        ctx.env.log.warn('ropc: the refresh token was revoked; dropping the account and using the password once', { code: 'auth/refresh-revoked' });
        await app.getTokenCache().removeAccount(account);
      } else {
        ctx.env.log.info('ropc: silent refresh failed; using the password grant', { error: (e as { errorCode?: string }).errorCode });
      }
    }
  }
  return passwordGrant(ctx, app);
}

export const signInFlow: SignInFlow = {
  login: 'ropc',
  kind: 'app',
  validate(request) {
    need(request);
    if (!request.clientId) {
      throw new AppError('config/invalid', 'ropc login needs --client-id: a public client application that allows the password grant (AKS: 80faf920-1908-4b52-b5ef-a8e7bedfc67a).', {
        detail: { method: 'ropc' },
      });
    }
  },
  keyParts(request) {
    return [`user:${(request.username ?? '').trim().toLowerCase()}`];
  },
  acquire: silentFirst,
  async forget(ctx) {
    const app = await ctx.env.apps.publicClient(ctx.authority, ctx.clientId);
    const account = await findRopcAccount(app, ctx, need(ctx.request).username);
    if (account) await app.getTokenCache().removeAccount(account);
  },
};
