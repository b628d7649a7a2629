/**
 * `-l ropc`: resource owner password credentials (username + password) through msal-node's
 * acquireTokenByUsernamePassword. Entra ID refuses it for MFA, federated and personal accounts
 * (AADSTS50076 / 50079 / 50126 / 7000218); it exists for kubelogin parity and test automation.
 * Inputs: --username / AAD_USER_PRINCIPAL_NAME / AZURE_USERNAME, --password /
 * AAD_USER_PRINCIPAL_PASSWORD / AZURE_PASSWORD, --client-id, --tenant-id (kubelogin names).
 * The refresh token is cached by msal (broker plugin), so later calls are silent refreshes; the
 * password itself is never stored.
 */
import { PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { AccountSummary, TokenRequest } from '../../core/token-request.js';
import { msalAuthFor, msalSystem, scopeForServerId, type MsalHooks } from '../clouds-msal.js';
import type { PopKey } from '../pop/pop-key.js';
import { withPopFields } from '../pop/pop-msal.js';
import type { MethodToken } from './workload-identity-flow.js';

export interface RopcOptions {
  hooks?: MsalHooks;
  popKey?: PopKey;
}

export interface RopcToken extends MethodToken {
  msalAccount?: AccountInfo;
}

export function accountSummary(account: AccountInfo | null | undefined): AccountSummary | undefined {
  if (!account) return undefined;
  return { username: account.username, homeAccountId: account.homeAccountId, tenantId: account.tenantId };
}

export function ropcApp(request: TokenRequest, hooks?: MsalHooks): PublicClientApplication {
  if (!request.clientId) throw new AppError('config/invalid', 'ropc login needs --client-id: the public client application registered for the cluster (AKS: 80faf920-1908-4b52-b5ef-a8e7bedfc67a).');
  const auth = msalAuthFor({
    environment: request.environment,
    authorityHost: request.authorityHost,
    disableInstanceDiscovery: request.disableInstanceDiscovery,
    tenantId: request.tenantId,
  });
  return new PublicClientApplication({
    auth: { clientId: request.clientId, authority: auth.authority, knownAuthorities: auth.knownAuthorities },
    ...(hooks?.cachePlugin ? { cache: { cachePlugin: hooks.cachePlugin } } : {}),
    system: msalSystem(hooks),
  });
}

export async function acquireRopcToken(request: TokenRequest, options: RopcOptions = {}, app: PublicClientApplication = ropcApp(request, options.hooks)): Promise<RopcToken> {
  if (!request.username) throw new AppError('config/invalid', 'ropc login needs a username: pass --username or set AAD_USER_PRINCIPAL_NAME / AZURE_USERNAME.');
  if (!request.password) throw new AppError('config/invalid', 'ropc login needs a password: pass --password or set AAD_USER_PRINCIPAL_PASSWORD / AZURE_PASSWORD.');
  const result = await app.acquireTokenByUsernamePassword(
    withPopFields({ scopes: [scopeForServerId(request.serverId)], username: request.username, password: request.password }, options.popKey, 'user'),
  );
  if (!result?.accessToken || !result.expiresOn) throw new AppError('auth/failed', 'Entra ID answered without an access token: try again.');
  const account = accountSummary(result.account);
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn.getTime(),
    tokenType: options.popKey ? 'pop' : 'Bearer',
    ...(account ? { account } : {}),
    ...(result.account ? { msalAccount: result.account } : {}),
  };
}
