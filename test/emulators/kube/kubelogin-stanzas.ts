/**
 * Exec stanzas as `az aks get-credentials` (kubelogin) and `kubetray convert-kubeconfig` write
 * them, for tests that start from a realistic kubeconfig. Flag names follow Azure kubelogin's
 * get-token (https://azure.github.io/kubelogin/cli/get-token.html).
 */
import { AKS_CLIENT_ID, AKS_SERVER_ID } from '../entra/entra-directory.js';
import type { ExecStanza } from './kube-emulator.js';

export interface KubeloginStanzaInput {
  login?: string;
  serverId?: string;
  clientId?: string;
  tenantId: string;
  environment?: string;
  /** Extra flags appended as given (e.g. ['--pop-enabled', '--pop-claims', 'u=...']). */
  extraArgs?: string[];
  /** Default 'kubelogin'. */
  command?: string;
}

/** The stanza `az aks get-credentials` writes for an Entra-integrated AKS cluster. */
export function kubeloginExecStanza(input: KubeloginStanzaInput): ExecStanza {
  return {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: input.command ?? 'kubelogin',
    args: [
      'get-token',
      '--login', input.login ?? 'devicecode',
      '--server-id', input.serverId ?? AKS_SERVER_ID,
      '--client-id', input.clientId ?? AKS_CLIENT_ID,
      '--tenant-id', input.tenantId,
      '--environment', input.environment ?? 'AzurePublicCloud',
      ...(input.extraArgs ?? []),
    ],
    env: null,
    installHint: '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
    interactiveMode: 'IfAvailable',
    provideClusterInfo: false,
  };
}
