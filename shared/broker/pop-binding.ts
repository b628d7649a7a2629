/**
 * The broker's PopBinder: binds a request to this cache directory's PoP key and signs a fresh
 * PoP token per serve (shared/auth/pop/*). Loaded lazily: only PoP requests pay for RSA.
 */
import type { PopBinder } from '../auth/flows/sign-in-flow.js';
import { resolvePopOptions } from '../auth/pop/pop-claims.js';
import { loadOrCreatePopKey } from '../auth/pop/pop-key.js';
import { withPopFields } from '../auth/pop/pop-msal.js';
import { buildPopToken } from '../auth/pop/pop-token.js';

export const createPopBinding: PopBinder = async (request, env) => {
  const claims = resolvePopOptions(request.popEnabled, request.popClaims);
  if (!claims) throw new Error('createPopBinding called for a request without --pop-enabled');
  const key = await loadOrCreatePopKey(env.cacheDir, env.secretBox);
  return {
    kid: key.kid,
    apply: (msalRequest, kind) => withPopFields(msalRequest, key, kind),
    present: (accessToken, now) => buildPopToken({ accessToken, key, claims, now }),
  };
};
