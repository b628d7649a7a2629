/**
 * The cluster model: every context kubectl would see (merged with kubectl's rules), with its
 * cluster, namespace, credentials and whether `convert-kubeconfig` would rewrite it. No secret
 * ever enters the model (see shared/contract/kubeconfig-model.ts).
 */
import * as path from 'node:path';
import type { ContextSummary, KubeconfigModel } from '../contract/kubeconfig-model.js';
import { readKubeconfigs, resolveKubeconfigPaths, toFileProblem, type KubeconfigLocation, type ReadKubeconfigsResult } from './kubeconfig-files.js';
import { mergeKubeconfigs, str } from './kubeconfig-merge.js';
import { describeUserAuth } from './user-auth.js';

/** Builds the model from files already read (pure apart from the clock). */
export function buildClusterModel(files: readonly string[], read: ReadKubeconfigsResult, now: number = Date.now()): KubeconfigModel {
  const merged = mergeKubeconfigs(read.loaded);
  const contexts: ContextSummary[] = [];
  for (const ctx of merged.contexts.values()) {
    const clusterName = str(ctx.value, 'cluster');
    const userName = str(ctx.value, 'user');
    const cluster = merged.clusters.get(clusterName);
    const user = merged.users.get(userName);
    const problems: string[] = [];
    if (!cluster) problems.push(clusterName === '' ? 'this context names no cluster' : `cluster '${clusterName}' is not defined in any kubeconfig file`);
    if (!user && userName !== '') problems.push(`user '${userName}' is not defined in any kubeconfig file`);
    const auth = describeUserAuth(user?.value);
    // kubectl reads relative file references relative to the kubeconfig that holds them.
    if (user && (auth.kind === 'client-certificate' || auth.kind === 'token') && auth.file && !path.isAbsolute(auth.file)) {
      auth.file = path.resolve(path.dirname(user.file), auth.file);
    }
    if (auth.kind === 'azure-exec' && auth.argErrors) problems.push(`the get-token args do not parse: ${auth.argErrors.join(' ')}`);
    const summary: ContextSummary = {
      name: ctx.name,
      clusterName,
      userName,
      server: str(cluster?.value, 'server'),
      current: merged.currentContext === ctx.name,
      auth,
      convertible: auth.kind === 'auth-provider-azure' || (auth.kind === 'azure-exec' && auth.tool === 'kubelogin'),
      sourceFile: ctx.file,
      problems,
    };
    const namespace = str(ctx.value, 'namespace');
    if (namespace !== '') summary.namespace = namespace;
    if (user) summary.userSourceFile = user.file;
    contexts.push(summary);
  }
  const model: KubeconfigModel = {
    files: [...files],
    missingFiles: [...read.missing],
    contexts,
    problems: [...read.failed.map(toFileProblem), ...merged.problems],
    readAt: now,
  };
  if (merged.currentContext !== undefined) model.currentContext = merged.currentContext;
  return model;
}

/** Reads the kubeconfig files kubectl would read and builds the model. Never throws for bad files. */
export function readClusterModel(location: KubeconfigLocation | { files: readonly string[] }): KubeconfigModel {
  const files = 'files' in location ? [...location.files] : resolveKubeconfigPaths(location).files;
  return buildClusterModel(files, readKubeconfigs(files));
}
