/**
 * Watches the kubeconfig files and emits a fresh cluster model when one of them changes.
 *
 * - Watches each file's DIRECTORY (and a symlink target's directory): editors and our own
 *   atomic writer replace files by rename, which a watch on the old inode would miss.
 * - Events are debounced (150 ms by default): one save is often several events.
 * - A file's content is compared with what was last read; the model is rebuilt and emitted only
 *   when some file really changed. Nothing is re-read per token request: readers use `current()`.
 * - A directory that does not exist yet is watched through its nearest existing ancestor, so
 *   a first `az aks get-credentials` that creates ~/.kube/config is seen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeconfigModel } from '../contract/kubeconfig-model.js';
import { isAtomicTempFile } from './atomic-write.js';
import { buildClusterModel } from './cluster-model.js';
import { readKubeconfigs } from './kubeconfig-files.js';

export interface KubeconfigWatcher {
  /** The latest model (read once at start, then on each change). */
  current(): KubeconfigModel;
  /** Re-read now (e.g. after the window converted a file), emitting if something changed. */
  refresh(): void;
  close(): void;
}

export interface WatchOptions {
  debounceMs?: number;
  /** Keep the process alive while watching (default true, as the tray wants). */
  persistent?: boolean;
  onError?: (error: Error) => void;
}

/** Whether an event on `name` inside a watched directory concerns one of the files. */
export function isRelevantEvent(watchedFiles: ReadonlySet<string>, dir: string, name: string | null): boolean {
  if (name === null) return true; // some platforms omit the name: re-check everything
  if (isAtomicTempFile(name)) return false;
  const full = path.join(dir, name);
  for (const file of watchedFiles) {
    if (file === full || file.startsWith(full + path.sep)) return true;
  }
  return false;
}

function nearestExisting(dir: string): string {
  let current = dir;
  for (;;) {
    if (fs.existsSync(current)) return current;
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

function targetOf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

export function watchKubeconfig(files: readonly string[], onChange: (model: KubeconfigModel) => void, options: WatchOptions = {}): KubeconfigWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const list = [...files];
  let texts = new Map<string, string>();
  let model: KubeconfigModel;
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const read = (): boolean => {
    const result = readKubeconfigs(list);
    const next = new Map<string, string>(result.loaded.map((l) => [l.file, l.text]));
    for (const f of result.failed) next.set(f.file, `\u0000failed:${f.error.message}`);
    const changed = next.size !== texts.size || [...next].some(([file, text]) => texts.get(file) !== text);
    if (!changed && model !== undefined) return false;
    texts = next;
    model = buildClusterModel(list, result);
    return true;
  };

  const watchedSet = (): Set<string> => {
    const set = new Set<string>();
    for (const file of list) {
      set.add(file);
      set.add(targetOf(file));
    }
    return set;
  };

  const arm = (): void => {
    const wanted = new Set<string>();
    for (const file of watchedSet()) wanted.add(nearestExisting(path.dirname(file)));
    for (const [dir, w] of watchers) {
      if (!wanted.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const w = fs.watch(dir, { persistent: options.persistent ?? true }, (_event, name) => {
          const watched = watchedSet();
          // Inside an ancestor of a missing folder, any event may be the folder appearing.
          const ancestor = ![...watched].some((f) => path.dirname(f) === dir);
          if (ancestor || isRelevantEvent(watched, dir, name === null ? null : String(name))) schedule();
        });
        w.on('error', (error) => options.onError?.(error));
        watchers.set(dir, w);
      } catch (error) {
        options.onError?.(error as Error);
      }
    }
  };

  const check = (): void => {
    if (closed) return;
    try {
      arm();
      if (read()) onChange(model);
    } catch (error) {
      options.onError?.(error as Error);
    }
  };

  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      check();
    }, debounceMs);
  };

  read();
  arm();
  return {
    current: () => model,
    refresh: check,
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
