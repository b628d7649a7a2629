/**
 * Azure clouds: `--environment`, `--authority-host` and `--disable-instance-discovery` turned
 * into the authority settings that msal-node needs. Pure (no node:*).
 *
 * Names: kubelogin accepts, case-insensitively, the names of azure-sdk-for-go's cloud switch
 * (AzureCloud, AzurePublic, AzurePublicCloud, AzureUSGovernment, AzureUSGovernmentCloud,
 * AzureChinaCloud) and, for `--legacy`, go-autorest's `EnvironmentFromName` (the same set plus the
 * retired AzureGermanCloud). kubelogin silently falls back to the public cloud for any other
 * name, so a typo sends a US Government user to login.microsoftonline.com. KubeTray refuses an
 * unknown name instead and lists the valid ones.
 */
import { AppError } from '../core/app-error.js';

export type CloudName = 'AzurePublicCloud' | 'AzureUSGovernmentCloud' | 'AzureChinaCloud';

export interface AzureCloud {
  name: CloudName;
  /** Entra ID authority host, always ending in '/'. */
  authorityHost: string;
  /** Azure Resource Manager endpoint (`az cloud show` resourceManager). */
  resourceManager: string;
  /** The classic management resource id (v1 `resource=` for ARM). */
  activeDirectoryResourceId: string;
  /** Microsoft Graph. */
  graph: string;
  /** Other hosts that are aliases of the authority (cache and instance-discovery aliases). */
  authorityAliases: readonly string[];
}

export const AZURE_CLOUDS: Readonly<Record<CloudName, AzureCloud>> = {
  AzurePublicCloud: {
    name: 'AzurePublicCloud',
    authorityHost: 'https://login.microsoftonline.com/',
    resourceManager: 'https://management.azure.com/',
    activeDirectoryResourceId: 'https://management.core.windows.net/',
    graph: 'https://graph.microsoft.com/',
    authorityAliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  },
  AzureUSGovernmentCloud: {
    name: 'AzureUSGovernmentCloud',
    authorityHost: 'https://login.microsoftonline.us/',
    resourceManager: 'https://management.usgovcloudapi.net/',
    activeDirectoryResourceId: 'https://management.core.usgovcloudapi.net/',
    graph: 'https://graph.microsoft.us/',
    authorityAliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn/',
    resourceManager: 'https://management.chinacloudapi.cn/',
    activeDirectoryResourceId: 'https://management.core.chinacloudapi.cn/',
    graph: 'https://microsoftgraph.chinacloudapi.cn/',
    authorityAliases: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
  },
};

/** Every spelling kubelogin (or go-autorest under --legacy) accepts, upper-cased. */
const ALIASES: Readonly<Record<string, CloudName>> = {
  AZURECLOUD: 'AzurePublicCloud',
  AZUREPUBLIC: 'AzurePublicCloud',
  AZUREPUBLICCLOUD: 'AzurePublicCloud',
  AZUREUSGOVERNMENT: 'AzureUSGovernmentCloud',
  AZUREUSGOVERNMENTCLOUD: 'AzureUSGovernmentCloud',
  AZURECHINACLOUD: 'AzureChinaCloud',
};

/** Clouds Microsoft has shut down; named so the error can say so instead of "unknown". */
const RETIRED: Readonly<Record<string, string>> = {
  AZUREGERMANCLOUD: 'Microsoft Cloud Deutschland was closed on 29 October 2021',
};

export const DEFAULT_ENVIRONMENT: CloudName = 'AzurePublicCloud';

/** The names to show in help and errors. */
export function knownEnvironmentNames(): string[] {
  return ['AzurePublicCloud', 'AzureCloud', 'AzurePublic', 'AzureUSGovernmentCloud', 'AzureUSGovernment', 'AzureChinaCloud'];
}

/**
 * `--environment` -> cloud. Empty or absent means the public cloud (kubelogin's default).
 * Throws AppError('config/invalid') for anything else, naming the valid values.
 */
export function resolveCloud(environment: string | undefined): AzureCloud {
  const raw = (environment ?? '').trim();
  if (raw === '') return AZURE_CLOUDS[DEFAULT_ENVIRONMENT];
  const key = raw.toUpperCase();
  const name = ALIASES[key];
  if (name) return AZURE_CLOUDS[name];
  const retired = RETIRED[key];
  if (retired) {
    throw new AppError('config/invalid', `--environment ${raw}: ${retired}. Use AzurePublicCloud, or --authority-host for another cloud.`, {
      detail: { environment: raw },
    });
  }
  throw new AppError(
    'config/invalid',
    `--environment "${raw}" is not an Azure cloud KubeTray knows. Use one of ${knownEnvironmentNames().join(', ')} (any case), or give --authority-host https://<login host>/ for another cloud.`,
    { detail: { environment: raw } },
  );
}

/**
 * kubelogin's `--authority-host` rule: an absolute URL (scheme and host) that ends in '/'.
 * KubeTray also requires https, because msal-node refuses any other scheme and a token endpoint
 * over plain http would expose the credentials. Returns the normalised value.
 */
export function validateAuthorityHost(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('cli/invalid-flag', `authority host "${value}" is not valid: give an absolute URL such as https://login.microsoftonline.com/`, {
      detail: { flag: 'authority-host' },
    });
  }
  if (!url.host || value.trim() !== value || /\s/.test(value)) {
    throw new AppError('cli/invalid-flag', `authority host "${value}" is not valid: give an absolute URL such as https://login.microsoftonline.com/`, {
      detail: { flag: 'authority-host' },
    });
  }
  if (url.protocol !== 'https:') {
    throw new AppError('cli/invalid-flag', `authority host "${value}" must use https (Entra ID and MSAL accept no other scheme).`, {
      detail: { flag: 'authority-host' },
    });
  }
  if (!value.endsWith('/')) {
    throw new AppError('cli/invalid-flag', `authority host "${value}" should have a trailing slash: use "${value}/".`, {
      detail: { flag: 'authority-host' },
    });
  }
  if (url.search || url.hash) {
    throw new AppError('cli/invalid-flag', `authority host "${value}" must not carry a query or fragment.`, { detail: { flag: 'authority-host' } });
  }
  return url.toString();
}

export interface AuthoritySettings {
  /** The cloud when --environment chose it; undefined for a custom --authority-host. */
  cloud: AzureCloud | undefined;
  /** Authority host ending in '/', e.g. https://login.microsoftonline.com/ */
  authorityHost: string;
  /** `<authorityHost><tenant>` — msal-node's `auth.authority`. */
  authority: string;
  /**
   * msal-node's `auth.knownAuthorities`. msal-node has no `disableInstanceDiscovery` option:
   * listing the host here is how it trusts an authority without calling Microsoft's
   * instance-discovery endpoint (FACTS.md). Empty means "discover as usual".
   */
  knownAuthorities: string[];
  /** True when instance discovery will run (Microsoft hosts without --disable-instance-discovery). */
  instanceDiscovery: boolean;
}

export interface AuthorityInput {
  environment?: string;
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
  tenantId?: string;
}

/**
 * Combines --environment, --authority-host (wins, as in kubelogin's GetCloudConfiguration),
 * --disable-instance-discovery and the tenant into msal-node settings. With --authority-host the
 * environment name is not consulted at all (as in kubelogin), so Azure Stack style configs keep working. A custom authority host
 * is always trusted without discovery: it is not a Microsoft host, so discovery could only fail.
 * The tenant defaults to `organizations`, like the Azure SDK for work accounts.
 */
export function resolveAuthority(input: AuthorityInput): AuthoritySettings {
  const cloud = input.authorityHost ? undefined : resolveCloud(input.environment);
  const authorityHost = input.authorityHost ? validateAuthorityHost(input.authorityHost) : cloud!.authorityHost;
  const tenant = (input.tenantId ?? '').trim() || 'organizations';
  if (!/^[A-Za-z0-9._-]+$/.test(tenant)) {
    throw new AppError('cli/invalid-flag', `tenant id "${tenant}" is not valid: give a tenant GUID or domain name (e.g. contoso.onmicrosoft.com).`, {
      detail: { flag: 'tenant-id' },
    });
  }
  const host = new URL(authorityHost).host;
  const discover = !input.disableInstanceDiscovery && cloud !== undefined;
  return {
    cloud,
    authorityHost,
    authority: `${authorityHost}${tenant}`,
    knownAuthorities: discover ? [] : [host],
    instanceDiscovery: discover,
  };
}
