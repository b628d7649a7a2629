/**
 * The emulated directory: tenants, users and app registrations. Plain data plus lookups; the
 * demo tenant carries the well-known AKS and Azure Arc PoP application ids so any kubeconfig
 * that `az aks get-credentials` writes works against the emulator unchanged.
 */
import * as crypto from 'node:crypto';
import { createSigningKey, type SigningKey } from '../jose/jose.js';

export const AKS_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const AKS_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';
export const ARC_POP_SERVER_ID = '6256c85f-0aad-4d50-b960-e6e9b21efe35';
export const ARC_POP_CLIENT_ID = '3f4439ff-e698-4d6d-84fe-09c9d574f06b';
/** The Azure CLI's public client id (used by `az` and by kubelogin's azurecli mode). */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

export const DEMO_TENANT_ID = 'a1f5e8a0-7c3e-4b6a-9d55-6b0c0de7e7a1';
export const DEMO_TENANT_DOMAIN = 'kubetray.dev';
export const DEMO_USER = 'demo@kubetray.dev';
export const DEMO_PASSWORD = 'KubeTray-demo-1!';
export const DEMO_MFA_USER = 'mfa@kubetray.dev';
export const DEMO_MFA_PASSWORD = 'KubeTray-mfa-1!';
export const DEMO_ADMIN_GROUP = 'c0ffee00-0000-4000-8000-00000000a11c';

/**
 * Conditional Access stand-ins per user. Entra evaluates policies at sign-in and on every token
 * request; these cover the outcomes KubeTray must handle.
 */
export interface ConditionalAccessPolicy {
  /** Grant types refused with AADSTS53003 (e.g. 'device_code': a device code flow policy). */
  blockGrants?: string[];
  /** Sign-in frequency: a refresh after this many seconds since sign-in fails with AADSTS70043. */
  signInFrequencySeconds?: number;
}

export interface EntraUser {
  username: string;
  password: string;
  oid: string;
  displayName: string;
  groups: string[];
  /** Always ask for the second factor (per-user MFA). Claims challenges ask regardless. */
  mfa: boolean;
  /** The 6-digit code the MFA page accepts; default derived with `mfaCodeFor`. */
  mfaCode?: string;
  /** Set to make every sign-in fail with AADSTS50057 (account disabled). */
  disabled?: boolean;
  policy?: ConditionalAccessPolicy;
}

export interface FederatedCredential {
  issuer: string;
  subject: string;
  /** Default ['api://AzureADTokenExchange'] as Entra's federated credentials. */
  audiences?: string[];
}

export interface EntraApp {
  appId: string;
  displayName: string;
  /** Public clients may sign users in without a secret and use loopback redirect URIs. */
  publicClient: boolean;
  secrets: string[];
  /** Registered certificates, PEM; assertions must carry the x5t or x5t#S256 of one. */
  certificates: string[];
  federatedCredentials: FederatedCredential[];
  /** Exact redirect URIs besides the always-allowed loopback ones of public clients. */
  redirectUris: string[];
  /** Application ID URIs (api://...) that name this app as a resource. */
  identifierUris: string[];
  /** App roles granted to this app as a client (land in `roles` of app-only tokens). */
  roles: string[];
  /** Service principal object id (the `oid` of app-only tokens). */
  servicePrincipalId: string;
}

export interface EntraTenant {
  id: string;
  domains: string[];
  displayName: string;
  users: EntraUser[];
  apps: EntraApp[];
  signingKey: SigningKey;
  /** Accept unknown public client ids (demo convenience); strict tenants reject with AADSTS700016. */
  acceptUnknownPublicClients: boolean;
}

export interface UserInput extends Partial<Omit<EntraUser, 'username' | 'password'>> {
  username: string;
  password: string;
}

export interface AppInput extends Partial<Omit<EntraApp, 'appId'>> {
  appId?: string;
}

export interface TenantInput {
  id?: string;
  domains?: string[];
  displayName?: string;
  users?: UserInput[];
  apps?: AppInput[];
  strict?: boolean;
}

/** A stable 6-digit MFA code for a username, so tests and the demo can type it. */
export function mfaCodeFor(user: Pick<EntraUser, 'username' | 'mfaCode'>): string {
  if (user.mfaCode) return user.mfaCode;
  const n = crypto.createHash('sha256').update(`kubetray-mfa:${user.username.toLowerCase()}`).digest().readUInt32BE(0);
  return String(n % 1_000_000).padStart(6, '0');
}

export function makeUser(input: UserInput): EntraUser {
  return {
    oid: crypto.randomUUID(),
    displayName: input.username.split('@')[0] ?? input.username,
    groups: [],
    mfa: false,
    ...input,
  };
}

export function makeApp(input: AppInput): EntraApp {
  return {
    appId: input.appId ?? crypto.randomUUID(),
    displayName: input.displayName ?? 'app',
    publicClient: input.publicClient ?? false,
    secrets: input.secrets ?? [],
    certificates: input.certificates ?? [],
    federatedCredentials: input.federatedCredentials ?? [],
    redirectUris: input.redirectUris ?? [],
    identifierUris: input.identifierUris ?? [],
    roles: input.roles ?? [],
    servicePrincipalId: input.servicePrincipalId ?? crypto.randomUUID(),
  };
}

export function makeTenant(input: TenantInput = {}): EntraTenant {
  const id = input.id ?? crypto.randomUUID();
  return {
    id,
    domains: input.domains ?? [],
    displayName: input.displayName ?? 'Tenant',
    users: (input.users ?? []).map(makeUser),
    apps: (input.apps ?? []).map(makeApp),
    signingKey: createSigningKey(),
    acceptUnknownPublicClients: !input.strict,
  };
}

/** The preloaded demo tenant: AKS + Arc PoP apps, the Azure CLI client, a demo user and an MFA user. */
export function demoTenantInput(strict = false): TenantInput {
  return {
    id: DEMO_TENANT_ID,
    domains: [DEMO_TENANT_DOMAIN],
    displayName: 'KubeTray Demo',
    strict,
    users: [
      { username: DEMO_USER, password: DEMO_PASSWORD, displayName: 'Demo User', oid: '5e1f0a2b-1111-4c4c-8a8a-000000000d30', groups: [DEMO_ADMIN_GROUP] },
      { username: DEMO_MFA_USER, password: DEMO_MFA_PASSWORD, displayName: 'MFA User', oid: '5e1f0a2b-2222-4c4c-8a8a-000000000f2a', groups: [DEMO_ADMIN_GROUP], mfa: true },
    ],
    apps: [
      { appId: AKS_SERVER_ID, displayName: 'Azure Kubernetes Service AAD Server', identifierUris: [`spn:${AKS_SERVER_ID}`] },
      { appId: AKS_CLIENT_ID, displayName: 'Azure Kubernetes Service AAD Client', publicClient: true },
      { appId: ARC_POP_SERVER_ID, displayName: 'Azure Arc Kubernetes PoP Server' },
      { appId: ARC_POP_CLIENT_ID, displayName: 'Azure Arc Kubernetes PoP Client', publicClient: true },
      { appId: AZURE_CLI_CLIENT_ID, displayName: 'Microsoft Azure CLI', publicClient: true },
    ],
  };
}

export class Directory {
  readonly tenants: EntraTenant[] = [];

  addTenant(input: TenantInput): EntraTenant {
    const tenant = makeTenant(input);
    this.tenants.push(tenant);
    return tenant;
  }

  /** A tenant by GUID or verified domain (case-insensitive). */
  tenant(idOrDomain: string): EntraTenant | undefined {
    const key = idOrDomain.toLowerCase();
    return this.tenants.find((t) => t.id === key || t.domains.some((d) => d.toLowerCase() === key));
  }

  findUser(username: string, tenant?: EntraTenant): { tenant: EntraTenant; user: EntraUser } | undefined {
    const key = username.trim().toLowerCase();
    for (const t of tenant ? [tenant] : this.tenants) {
      const user = t.users.find((u) => u.username.toLowerCase() === key);
      if (user) return { tenant: t, user };
    }
    return undefined;
  }

  findApp(tenant: EntraTenant, appId: string): EntraApp | undefined {
    return tenant.apps.find((a) => a.appId === appId.toLowerCase() || a.appId === appId);
  }

  /** The app that a resource (appId, `spn:<id>`, or identifier URI) names, if registered. */
  findResource(tenant: EntraTenant, resource: string): EntraApp | undefined {
    const bare = resource.replace(/^spn:/i, '').replace(/\/+$/, '');
    return tenant.apps.find((a) => a.appId === bare.toLowerCase() || a.identifierUris.some((u) => u.replace(/\/+$/, '') === bare));
  }
}
