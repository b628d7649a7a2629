/**
 * The little of the Kubernetes API that kubectl 1.32 needs for `version`, `get namespaces`,
 * `get pods` and `auth whoami`: legacy discovery (the client falls back from aggregated
 * discovery when the answer is plain application/json), lists and server-side Tables.
 */
import type { JsonObject } from '../jose/jose.js';

export interface KubeObject {
  name: string;
  namespace?: string;
  createdAt: string;
  status: string;
}

export function versionInfo(): JsonObject {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-kubetray-emulator',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): JsonObject {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): JsonObject {
  const gv = { groupVersion: 'authentication.k8s.io/v1', version: 'v1' };
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'authentication.k8s.io', versions: [gv], preferredVersion: gv }] };
}

export function coreResources(): JsonObject {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'], categories: ['all'] },
    ],
  };
}

export function authenticationResources(): JsonObject {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authentication.k8s.io/v1',
    resources: [
      { name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] },
      { name: 'tokenreviews', singularName: 'tokenreview', namespaced: false, kind: 'TokenReview', verbs: ['create'] },
    ],
  };
}

function age(createdAt: string): string {
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(createdAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

function metadata(o: KubeObject): JsonObject {
  return { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}), uid: `uid-${o.namespace ?? ''}-${o.name}`, resourceVersion: '1', creationTimestamp: o.createdAt };
}

export function namespaceObject(o: KubeObject): JsonObject {
  return { kind: 'Namespace', apiVersion: 'v1', metadata: metadata(o), spec: { finalizers: ['kubernetes'] }, status: { phase: o.status } };
}

export function podObject(o: KubeObject): JsonObject {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: metadata(o),
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }], nodeName: 'node-1' },
    status: { phase: o.status, containerStatuses: [{ name: 'app', ready: o.status === 'Running', restartCount: 0, image: 'registry.example/app:1', imageID: '', started: true }] },
  };
}

/** A plain list (NamespaceList / PodList). */
export function list(kind: string, items: JsonObject[]): JsonObject {
  return { kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items };
}

const col = (name: string, format = ''): JsonObject => ({ name, type: 'string', format, description: name, priority: 0 });

/** The server-side printing Table kubectl asks for (Accept ...;as=Table;g=meta.k8s.io). */
export function table(resource: 'namespaces' | 'pods', objects: KubeObject[]): JsonObject {
  const columns = resource === 'namespaces' ? [col('Name', 'name'), col('Status'), col('Age')] : [col('Name', 'name'), col('Ready'), col('Status'), col('Restarts'), col('Age')];
  const rows = objects.map((o) => ({
    cells: resource === 'namespaces' ? [o.name, o.status, age(o.createdAt)] : [o.name, o.status === 'Running' ? '1/1' : '0/1', o.status, '0', age(o.createdAt)],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: metadata(o) },
  }));
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '1' }, columnDefinitions: columns, rows };
}

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

export function status(code: number, reason: string, message: string): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}
