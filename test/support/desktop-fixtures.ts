/**
 * Kubeconfig models for the desktop suites: the cluster model's contract types
 * (shared/contract/kubeconfig-model.ts) filled with contexts that sign in against the Entra
 * emulator, plus bulk models for the 1,000-context first-paint measurement.
 */
import type { LoginMethod } from '../../shared/core/token-request.js';
import type { ContextSummary, KubeconfigModel } from '../../shared/contract/kubeconfig-model.js';

export const AKS_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const AKS_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

export interface AzureContextInput {
  name: string;
  server?: string;
  login?: LoginMethod;
  tenantId: string;
  clientId?: string;
  serverId?: string;
  authorityHost?: string;
  current?: boolean;
  tool?: 'kubetray' | 'kubelogin';
  file?: string;
}

export function azureContext(input: AzureContextInput): ContextSummary {
  const login = input.login ?? 'interactive';
  const clientId = input.clientId ?? AKS_CLIENT_ID;
  const serverId = input.serverId ?? AKS_SERVER_ID;
  const file = input.file ?? '/home/dev/.kube/config';
  return {
    name: input.name,
    clusterName: input.name,
    userName: `clusterUser_${input.name}`,
    server: input.server ?? `https://${input.name}-dns.hcp.westeurope.azmk8s.io:443`,
    current: input.current ?? false,
    auth: {
      kind: 'azure-exec',
      tool: input.tool ?? 'kubetray',
      command: input.tool ?? 'kubetray',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      login,
      tenantId: input.tenantId,
      clientId,
      serverId,
      request: { login, tenantId: input.tenantId, clientId, serverId, ...(input.authorityHost ? { authorityHost: input.authorityHost } : {}) },
      secretInArgs: false,
    },
    convertible: input.tool === 'kubelogin',
    sourceFile: file,
    userSourceFile: file,
    problems: [],
  };
}

export function plainContext(name: string, kind: 'client-certificate' | 'exec' = 'client-certificate'): ContextSummary {
  return {
    name,
    clusterName: name,
    userName: name,
    server: `https://127.0.0.1:6443`,
    current: false,
    auth: kind === 'exec' ? { kind: 'exec', command: 'aws' } : { kind: 'client-certificate', source: 'data' },
    convertible: false,
    sourceFile: '/home/dev/.kube/config',
    problems: [],
  };
}

export function fixtureModel(contexts: ContextSummary[]): KubeconfigModel {
  const current = contexts.find((c) => c.current)?.name;
  return { files: ['/home/dev/.kube/config'], missingFiles: [], ...(current ? { currentContext: current } : {}), contexts, problems: [], readAt: Date.now() };
}

/** n contexts across regions and tenants, every tenth one not Entra, the first one current. */
export function manyContexts(n: number, tenantId: string, authorityHost?: string): ContextSummary[] {
  const regions = ['westeurope', 'northeurope', 'eastus', 'westus2', 'southeastasia'];
  return Array.from({ length: n }, (_, i) => {
    const name = `aks-${regions[i % regions.length]}-${String(i).padStart(4, '0')}`;
    if (i % 10 === 9) return plainContext(name);
    return azureContext({ name, tenantId, authorityHost, current: i === 0, tool: i % 7 === 3 ? 'kubelogin' : 'kubetray', login: i % 3 === 0 ? 'devicecode' : 'interactive' });
  });
}
