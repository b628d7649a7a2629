/**
 * A Kubernetes API emulator that real kubectl 1.32 talks to over HTTPS (certificate from the
 * Entra emulator's test CA) and that verifies Entra bearer and PoP tokens (see kube-auth.ts).
 *
 *   const kube = await startKubeEmulator({ entra });
 *   const kubeconfig = kube.kubeconfigFor({ user: { exec: {...} } });
 *   spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'ns']);
 *   kube.callers  // who called, verified from the token
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import type * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { close, listen, readBody, Router, sendJson } from '../http/http-kit.js';
import { AKS_SERVER_ID, ARC_POP_SERVER_ID } from '../entra/entra-directory.js';
import type { EntraEmulator } from '../entra/entra-emulator.js';
import { TokenRejected, verifyAuthorization, type TokenVerifierConfig, type VerifiedCaller } from './kube-auth.js';
import {
  apiGroupList, apiVersions, authenticationResources, coreResources, list, namespaceObject, podObject, status, table, versionInfo, wantsTable,
  type KubeObject,
} from './kube-resources.js';

export interface KubeEmulatorOptions {
  entra: EntraEmulator;
  port?: number;
  /** Accepted `aud` values; default the AKS and Arc PoP server ids. */
  serverIds?: string[];
  /** Expected PoP `u` claim; default `127.0.0.1:<port>`. */
  popHost?: string;
  /** Accept only PoP tokens (Azure Arc). */
  requirePop?: boolean;
  namespaces?: string[];
  pods?: { namespace: string; name: string; status?: string }[];
  /**
   * RBAC stand-in: return false to answer 403 Forbidden (authenticated but not allowed), e.g.
   * `(c) => c.groups.includes(DEMO_ADMIN_GROUP)`. Default: every verified caller may do anything.
   */
  authorize?: (caller: VerifiedCaller, request: { method: string; path: string }) => boolean;
}

export interface CallerRecord extends VerifiedCaller {
  at: number;
  method: string;
  path: string;
}

export interface RejectionRecord {
  at: number;
  method: string;
  path: string;
  reason: string;
}

export interface ExecStanza {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo?: boolean;
  installHint?: string;
}

export interface KubeconfigInput {
  /** The kubeconfig user: an exec plugin or a static token. */
  user: { exec: ExecStanza } | { token: string };
  /** Where to write; default a temp dir removed on stop(). */
  file?: string;
  clusterName?: string;
  userName?: string;
  namespace?: string;
}

export interface KubeEmulator {
  origin: string;
  port: number;
  /** The default expected PoP `u`. */
  popHost: string;
  caPem: string;
  callers: CallerRecord[];
  /** 401s: the token did not verify (reason says why). */
  rejections: RejectionRecord[];
  /** 403s from `authorize` (reason = the username). */
  forbidden: RejectionRecord[];
  lastCaller(): CallerRecord | undefined;
  kubeconfigFor(input: KubeconfigInput): string;
  /** The kubeconfig as a JS object (for writers that want to merge it). */
  kubeconfigObject(input: Omit<KubeconfigInput, 'file'>): Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startKubeEmulator(options: KubeEmulatorOptions): Promise<KubeEmulator> {
  const { entra } = options;
  const leaf = entra.ca.issue();
  const router = new Router();
  const callers: CallerRecord[] = [];
  const rejections: RejectionRecord[] = [];
  const forbidden: RejectionRecord[] = [];
  const tempDirs: string[] = [];
  const created = new Date(Date.now() - 3 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const namespaces: KubeObject[] = (options.namespaces ?? ['default', 'kube-system', 'kube-public', 'kubetray-demo']).map((name) => ({ name, createdAt: created, status: 'Active' }));
  const pods: KubeObject[] = (options.pods ?? [
    { namespace: 'default', name: 'hello-7c9f8d6b5-abcde', status: 'Running' },
    { namespace: 'kubetray-demo', name: 'web-0', status: 'Running' },
  ]).map((p) => ({ name: p.name, namespace: p.namespace, createdAt: created, status: p.status ?? 'Running' }));

  const server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    void handle(req, res);
  });
  const port = await listen(server as unknown as http.Server, options.port ?? 0);
  const origin = `https://127.0.0.1:${port}`;
  const popHost = options.popHost ?? `127.0.0.1:${port}`;
  const verifier: TokenVerifierConfig = {
    keys: () => entra.jwksFor().keys,
    issuersFor: (tid) => (entra.directory.tenant(tid) ? [entra.issuerFor(tid, '2.0'), entra.issuerFor(tid, '1.0')] : []),
    audiences: options.serverIds ?? [AKS_SERVER_ID, ARC_POP_SERVER_ID],
    popHost,
    requirePop: options.requirePop,
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    try {
      // /version is public on real API servers (system:public-info-viewer).
      if (url.pathname === '/version') return sendJson(res, 200, versionInfo());
      let caller: VerifiedCaller;
      try {
        caller = verifyAuthorization(req.headers.authorization, verifier);
      } catch (error) {
        const reason = error instanceof TokenRejected ? error.reason : 'invalid token';
        rejections.push({ at: Date.now(), method: req.method ?? '', path: url.pathname, reason });
        return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      }
      callers.push({ ...caller, at: Date.now(), method: req.method ?? '', path: url.pathname });
      if (options.authorize && !options.authorize(caller, { method: req.method ?? 'GET', path: url.pathname })) {
        forbidden.push({ at: Date.now(), method: req.method ?? '', path: url.pathname, reason: caller.username });
        return sendJson(res, 403, status(403, 'Forbidden', `User "${caller.username}" cannot ${req.method === 'POST' ? 'create' : 'list'} ${url.pathname}`));
      }
      res.setHeader('x-kubetray-caller', caller.username);
      (req as http.IncomingMessage & { caller?: VerifiedCaller }).caller = caller;
      if (!(await router.dispatch(req, res, origin))) {
        sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      }
    } catch {
      if (!res.headersSent) sendJson(res, 500, status(500, 'InternalError', 'internal error'));
    }
  }

  router.add('GET', /^\/api$/, ({ res }) => sendJson(res, 200, apiVersions(`127.0.0.1:${port}`)));
  router.add('GET', /^\/apis$/, ({ res }) => sendJson(res, 200, apiGroupList()));
  router.add('GET', /^\/api\/v1$/, ({ res }) => sendJson(res, 200, coreResources()));
  router.add('GET', /^\/apis\/authentication\.k8s\.io\/v1$/, ({ res }) => sendJson(res, 200, authenticationResources()));
  router.add('GET', /^\/api\/v1\/namespaces$/, ({ req, res }) =>
    sendJson(res, 200, wantsTable(req.headers.accept) ? table('namespaces', namespaces) : list('NamespaceList', namespaces.map(namespaceObject))),
  );
  router.add('GET', /^\/api\/v1\/namespaces\/(?<ns>[^/]+)$/, ({ res, params }) => {
    const ns = namespaces.find((n) => n.name === params.ns);
    if (!ns) return sendJson(res, 404, status(404, 'NotFound', `namespaces "${params.ns}" not found`));
    sendJson(res, 200, namespaceObject(ns));
  });
  router.add('GET', /^\/api\/v1(\/namespaces\/(?<ns>[^/]+))?\/pods$/, ({ req, res, params }) => {
    const selected = pods.filter((p) => !params.ns || p.namespace === params.ns);
    sendJson(res, 200, wantsTable(req.headers.accept) ? table('pods', selected) : list('PodList', selected.map(podObject)));
  });
  router.add('POST', /^\/apis\/authentication\.k8s\.io\/v1(beta1)?\/selfsubjectreviews$/, async ({ req, res, url }) => {
    await readBody(req);
    const caller = (req as http.IncomingMessage & { caller?: VerifiedCaller }).caller!;
    const version = url.pathname.includes('v1beta1') ? 'v1beta1' : 'v1';
    const extra: Record<string, string[]> = {};
    if (typeof caller.claims.oid === 'string') extra.oid = [caller.claims.oid];
    sendJson(res, 201, {
      kind: 'SelfSubjectReview',
      apiVersion: `authentication.k8s.io/${version}`,
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: caller.username, groups: caller.groups, extra } },
    });
  });

  const kubeconfigObject = (input: Omit<KubeconfigInput, 'file'>): Record<string, unknown> => {
    const cluster = input.clusterName ?? 'kubetray-emulator';
    const user = input.userName ?? 'kubetray-user';
    const userEntry = 'token' in input.user ? { token: input.user.token } : { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'IfAvailable', provideClusterInfo: false, ...input.user.exec } };
    return {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster, cluster: { server: origin, 'certificate-authority-data': Buffer.from(entra.caPem).toString('base64') } }],
      users: [{ name: user, user: userEntry }],
      contexts: [{ name: cluster, context: { cluster, user, ...(input.namespace ? { namespace: input.namespace } : {}) } }],
      'current-context': cluster,
      preferences: {},
    };
  };

  return {
    origin,
    port,
    popHost,
    caPem: entra.caPem,
    callers,
    rejections,
    forbidden,
    lastCaller: () => callers[callers.length - 1],
    kubeconfigObject,
    kubeconfigFor: (input) => {
      let file = input.file;
      if (!file) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-kubeconfig-'));
        tempDirs.push(dir);
        file = path.join(dir, 'config');
      }
      fs.writeFileSync(file, yaml.dump(kubeconfigObject(input)), { mode: 0o600 });
      return file;
    },
    stop: async () => {
      await close(server as unknown as http.Server);
      for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
