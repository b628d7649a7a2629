/**
 * One interactive sign-in in progress (an /authorize request or a device code being approved),
 * carried between the sign-in, MFA, account picker and consent pages by an opaque `tx` id.
 */
import type { DeviceCodeEntry } from './entra-device-codes.js';
import type { ClaimsRequest, ResolvedTenant } from './entra-state.js';

export const TX_TTL_MS = 15 * 60 * 1000;

export interface Tx {
  id: string;
  kind: 'authorize' | 'device';
  tenant: ResolvedTenant;
  clientId: string;
  appName: string;
  claims: ClaimsRequest;
  prompt: string;
  loginHint?: string;
  redirectUri?: string;
  responseMode?: 'form_post' | 'query' | 'fragment';
  query?: URLSearchParams;
  device?: DeviceCodeEntry;
  username?: string;
  tenantId?: string;
  amr: string[];
  consented: boolean;
  expiresAt: number;
}
