/**
 * Where the window's clusters come from: the kubeconfig files kubectl would read (or the ones
 * chosen in Settings), KUBECONFIG's cluster model and watcher, and its one-context converter.
 * No electron import: the tray and the desktop test harness use it alike.
 */
import type { KubeconfigModel, ContextSummary } from '../shared/contract/kubeconfig-model.js';
import { readClusterModel } from '../shared/kubeconfig/cluster-model.js';
import { createContextConverter } from '../shared/kubeconfig/context-converter.js';
import { resolveKubeconfigPaths } from '../shared/kubeconfig/kubeconfig-files.js';
import { watchKubeconfig, type KubeconfigWatcher } from '../shared/kubeconfig/kubeconfig-watcher.js';
import type { Logger } from '../shared/core/log.js';

export interface KubeconfigSource {
  files(): string[];
  loadModel(): Promise<KubeconfigModel>;
  convertContext(context: ContextSummary): Promise<{ changed: boolean; message: string }>;
  /**
   * Starts watching; `onChange` is called when a watched file changes. loadModel() moves the
   * watch to the new list when the paths changed (Settings).
   */
  watch(onChange: () => void): void;
  close(): void;
}

export interface KubeconfigSourceOptions {
  /** Paths from Settings; empty means "as kubectl": $KUBECONFIG, else ~/.kube/config. */
  paths: () => readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The command written into converted users (default `kubetray`, found on PATH). */
  execCommand?: string;
  log?: Logger;
}

export function createKubeconfigSource(options: KubeconfigSourceOptions): KubeconfigSource {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let watcher: KubeconfigWatcher | undefined;
  let watchedKey = '';
  let listener: (() => void) | undefined;
  const files = (): string[] => {
    const chosen = options.paths();
    return chosen.length > 0 ? [...chosen] : resolveKubeconfigPaths({ env, cwd }).files;
  };
  const startWatching = (list: readonly string[], onChange: () => void): void => {
    watcher?.close();
    watchedKey = list.join('\n');
    watcher = watchKubeconfig(list, () => onChange(), {
      onError: (e) => options.log?.warn('watching the kubeconfig failed', { message: e.message }),
    });
  };
  const converter = createContextConverter({ files, env, cwd, ...(options.execCommand ? { execCommand: options.execCommand } : {}) });
  return {
    files,
    loadModel: async () => {
      const list = files();
      // Settings may have changed the list since watch() started: watch the files now read.
      if (listener && list.join('\n') !== watchedKey) startWatching(list, listener);
      return readClusterModel({ files: list });
    },
    convertContext: async (context) => {
      const result = await converter(context);
      watcher?.refresh();
      return { changed: result.changed, message: result.message };
    },
    watch(onChange) {
      listener = onChange;
      const list = files();
      if (watcher && list.join('\n') === watchedKey) return;
      startWatching(list, onChange);
    },
    close() {
      listener = undefined;
      watcher?.close();
      watcher = undefined;
    },
  };
}
