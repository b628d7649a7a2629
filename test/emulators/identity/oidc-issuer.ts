/**
 * An external OIDC issuer (GitHub Actions, Azure Pipelines) with its own signing key, trusted
 * by the Entra emulator for federated credentials, plus the request-token checks both CI
 * systems make.
 */
import { createSigningKey, nowSeconds, signJws, type JsonObject, type SigningKey } from '../jose/jose.js';

export class OidcIssuer {
  readonly key: SigningKey = createSigningKey();

  constructor(readonly issuer: string) {}

  jwks(): { keys: SigningKey['jwk'][] } {
    return { keys: [this.key.jwk] };
  }

  mint(claims: { sub: string; aud: string } & JsonObject, lifetimeSeconds = 600): string {
    const now = nowSeconds();
    return signJws({ typ: 'JWT', alg: 'RS256', kid: this.key.kid }, { iss: this.issuer, iat: now, nbf: now, exp: now + lifetimeSeconds, ...claims }, this.key.privateKey);
  }
}

/** Constant-time-ish check of `Authorization: Bearer <expected>` (case-insensitive scheme). */
export function hasBearer(header: string | undefined, expected: string): boolean {
  const match = /^bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && match[1] === expected;
}
