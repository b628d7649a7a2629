/**
 * --login spn: client credentials with a client secret or a certificate (PEM or PKCS#12), through
 * msal-node's ConfidentialClientApplication. MSAL keeps app tokens in its (encrypted) cache; the
 * broker keeps them in memory on top. Keys carry only a fingerprint of the credential.
 */
import * as fs from 'node:fs';
import type { ClientCredentialRequest } from '@azure/msal-node';
import { AppError } from '../../core/app-error.js';
import type { TokenRequest } from '../../core/token-request.js';
import { loadClientCertificate } from '../client-certificate.js';
import { validateLegacy } from '../clouds-legacy.js';
import { credentialFingerprint } from '../credential-fingerprint.js';
import { toFlowResult } from './msal-result.js';
import type { ClientCredential, SignInFlow } from './sign-in-flow.js';

function certificateStamp(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** A fingerprint that changes when the secret, the certificate file or its password changes. */
export function spnCredentialId(request: TokenRequest): string {
  if (request.clientSecret) return credentialFingerprint('secret', request.clientSecret);
  const file = request.clientCertificate ?? '';
  return credentialFingerprint('certificate', file, certificateStamp(file), request.clientCertificatePassword);
}

export function spnCredential(request: TokenRequest): ClientCredential {
  if (request.clientSecret) return { kind: 'secret', clientSecret: request.clientSecret };
  const cert = loadClientCertificate(request.clientCertificate!, request.clientCertificatePassword);
  if (cert.notAfter.getTime() < Date.now()) {
    throw new AppError('auth/invalid-client', `The client certificate ${request.clientCertificate} expired on ${cert.notAfter.toISOString()}: use a current certificate.`);
  }
  return { kind: 'certificate', privateKeyPem: cert.privateKeyPem, thumbprintSha1: cert.thumbprintSha1, thumbprintSha256: cert.thumbprintSha256, x5c: cert.x5c };
}

export const signInFlow: SignInFlow = {
  login: 'spn',
  kind: 'app',
  validate(request) {
    validateLegacy(request);
    if (!request.clientId) throw new AppError('cli/invalid-flag', '--client-id is required for --login spn (AAD_SERVICE_PRINCIPAL_CLIENT_ID).', { detail: { flag: 'client-id' } });
    if (!request.tenantId) throw new AppError('cli/invalid-flag', '--tenant-id is required for --login spn.', { detail: { flag: 'tenant-id' } });
    if (!request.clientSecret && !request.clientCertificate) {
      throw new AppError('cli/invalid-flag', 'Give --client-secret (AAD_SERVICE_PRINCIPAL_CLIENT_SECRET) or --client-certificate (AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE) for --login spn.', {
        detail: { flag: 'client-secret' },
      });
    }
  },
  keyParts: (request) => [spnCredentialId(request)],
  async acquire(ctx) {
    // --legacy: v1 token endpoint with resource= (METHODS, clouds-legacy.ts).
    if (ctx.request.legacy) return (await import('../clouds-legacy.js')).acquireLegacyClientCredentials(ctx, spnCredential(ctx.request));
    const credentialId = spnCredentialId(ctx.request);
    const cca = await ctx.env.apps.confidentialClient(ctx.authority, ctx.clientId, spnCredential(ctx.request), credentialId);
    // msal-node 7 dropped extraQueryParameters from the type but still sends them (pop-msal.ts).
    const base: ClientCredentialRequest & { extraQueryParameters?: Record<string, string> } = {
      scopes: ctx.scopes,
      skipCache: ctx.forceRefresh,
      ...(ctx.claims ? { claims: ctx.claims } : {}),
    };
    const request = ctx.pop ? ctx.pop.apply(base, 'client-credentials') : base;
    const result = await cca.acquireTokenByClientCredential(request);
    return toFlowResult(result, 'refresh', ctx);
  },
};
