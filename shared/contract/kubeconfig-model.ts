/**
 * The cluster model: what KubeTray knows about the kubeconfig(s) kubectl would read.
 * Produced by shared/kubeconfig/cluster-model.ts (Node), shown by the window (DESKTOP), so this
 * file is pure types: no node:*, no packages.
 *
 * The model never carries a secret: client secrets, passwords and static tokens that sit in a
 * kubeconfig are reported only as "present" flags.
 */
import type { SECRET_REQUEST_FIELDS, TokenRequest } from '../core/token-request.js';

/** The fields of a TokenRequest that may be shown (everything but SECRET_REQUEST_FIELDS). */
export type PublicTokenRequest = Omit<Partial<TokenRequest>, (typeof SECRET_REQUEST_FIELDS)[number]>;

/** An exec plugin that runs `kubetray get-token` or `kubelogin get-token`. */
export interface AzureExecAuth {
  kind: 'azure-exec';
  /** Which program the stanza runs today. */
  tool: 'kubetray' | 'kubelogin';
  /** The stanza's `command` as written (a name or a path). */
  command: string;
  /** client.authentication.k8s.io/v1beta1 or v1. */
  apiVersion?: string;
  /** --login as written (kubelogin's default is devicecode). */
  login: string;
  tenantId?: string;
  clientId?: string;
  serverId?: string;
  environment?: string;
  popEnabled?: boolean;
  popClaims?: string;
  /** What get-token would ask for: the args, then the stanza's env entries (as get-token applies them), secrets removed. */
  request: PublicTokenRequest;
  /** A client secret, certificate password or password is written in the args or the exec env. */
  secretInArgs: boolean;
  /** The args did not parse (unknown flag, missing value): the messages, no values. */
  argErrors?: string[];
}

/** Any other exec plugin (aws, gke-gcloud-auth-plugin, oidc-login, ...). */
export interface OtherExecAuth {
  kind: 'exec';
  command: string;
  apiVersion?: string;
}

/** Legacy `auth-provider: {name: azure}` (removed from kubectl 1.26; kubelogin converts it). */
export interface AzureAuthProviderAuth {
  kind: 'auth-provider-azure';
  tenantId?: string;
  clientId?: string;
  serverId?: string;
  environment?: string;
  /** config-mode "1" means the legacy (spn: prefixed) audience. */
  configMode?: string;
}

export interface OidcAuthProviderAuth {
  kind: 'auth-provider-oidc';
  issuerUrl?: string;
  clientId?: string;
}

export interface OtherAuthProviderAuth {
  kind: 'auth-provider';
  name: string;
}

export interface ClientCertificateAuth {
  kind: 'client-certificate';
  /** Where the certificate is: inline data or a file path (the path is shown, data never). */
  source: 'data' | 'file';
  file?: string;
}

export interface StaticTokenAuth {
  kind: 'token';
  source: 'inline' | 'file';
  file?: string;
}

export interface BasicAuth {
  kind: 'basic';
  username?: string;
}

/** The context names a user that is missing, or the user has no credentials at all. */
export interface NoAuth {
  kind: 'none';
}

export type ContextAuth =
  | AzureExecAuth
  | OtherExecAuth
  | AzureAuthProviderAuth
  | OidcAuthProviderAuth
  | OtherAuthProviderAuth
  | ClientCertificateAuth
  | StaticTokenAuth
  | BasicAuth
  | NoAuth;

export type ContextAuthKind = ContextAuth['kind'];

/** One context, after kubectl's merge rules. */
export interface ContextSummary {
  name: string;
  /** The context's cluster and user names (may be missing from the merged config). */
  clusterName: string;
  userName: string;
  /** The cluster's server URL, '' when the cluster is missing. */
  server: string;
  namespace?: string;
  /** This is the merged current-context. */
  current: boolean;
  auth: ContextAuth;
  /** `convert-kubeconfig` would rewrite this context's user (kubelogin exec or azure auth-provider). */
  convertible: boolean;
  /** The file the context entry came from (first file that defines it wins, as in kubectl). */
  sourceFile: string;
  /** The file the user entry came from, when the user exists. */
  userSourceFile?: string;
  /** Things a person should fix, e.g. "cluster 'x' is not defined". */
  problems: string[];
}

/** A file in the KUBECONFIG list that could not be read; the rest of the model is still built. */
export interface KubeconfigFileProblem {
  file: string;
  /** An AppErrorCode of the kubeconfig/* family. */
  code: string;
  message: string;
}

export interface KubeconfigModel {
  /** The files kubectl would read, in merge order (missing ones included: kubectl skips them). */
  files: string[];
  /** Files that do not exist (kubectl ignores them silently). */
  missingFiles: string[];
  currentContext?: string;
  contexts: ContextSummary[];
  problems: KubeconfigFileProblem[];
  /** Epoch ms when this model was built. */
  readAt: number;
}
