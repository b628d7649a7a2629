/**
 * kubectl's merge rules for a KUBECONFIG list (client-go clientcmd loading rules):
 * files are read in order, the FIRST file that defines a cluster, user or context name wins,
 * and the first non-empty current-context wins. Missing files are skipped. Each entry remembers
 * the file it came from, so a conversion can write every user back where it was found.
 */
import type { KubeconfigFileProblem } from '../contract/kubeconfig-model.js';
import { isYamlMap, scalarText, type YamlMap, type YamlValue } from './kubeconfig-yaml.js';

export interface LoadedKubeconfig {
  file: string;
  text: string;
  doc: YamlMap;
}

export type NamedListKey = 'clusters' | 'users' | 'contexts';

/** One `- name: x` list item with its inner map (`cluster`, `user` or `context`). */
export interface NamedEntry {
  name: string;
  /** The inner map; {} when absent or not a map. */
  value: YamlMap;
  file: string;
  /** Position in the file's list. */
  index: number;
}

export interface MergedKubeconfig {
  currentContext?: string;
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
  contexts: Map<string, NamedEntry>;
  problems: KubeconfigFileProblem[];
  /** Names defined twice in one file's list, as `duplicateKey(file, list, name)`. */
  duplicates: Set<string>;
}

export function duplicateKey(file: string, list: NamedListKey, name: string): string {
  return `${file}\u0000${list}\u0000${name}`;
}

const INNER_KEY: Record<NamedListKey, string> = { clusters: 'cluster', users: 'user', contexts: 'context' };

/** The named entries of one list of one file, with problems for malformed or duplicate items. */
export function namedEntries(loaded: LoadedKubeconfig, list: NamedListKey, problems: KubeconfigFileProblem[], duplicates?: Set<string>): NamedEntry[] {
  const raw: YamlValue | undefined = loaded.doc[list];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ file: loaded.file, code: 'kubeconfig/invalid', message: `'${list}' in ${loaded.file} is not a list: kubectl will refuse this file; fix or restore it.` });
    return [];
  }
  const out: NamedEntry[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    if (!isYamlMap(item) || scalarText(item.name) === undefined) {
      problems.push({ file: loaded.file, code: 'kubeconfig/invalid', message: `Entry ${index + 1} of '${list}' in ${loaded.file} has no name: give it a 'name:' or remove it.` });
      return;
    }
    const name = scalarText(item.name) as string;
    if (seen.has(name)) {
      // client-go's v1 conversion rejects duplicate names in one list.
      problems.push({ file: loaded.file, code: 'kubeconfig/invalid', message: `'${list}' in ${loaded.file} defines '${name}' twice: kubectl refuses this file; remove one of them.` });
      duplicates?.add(duplicateKey(loaded.file, list, name));
      return;
    }
    seen.add(name);
    const inner = item[INNER_KEY[list]];
    out.push({ name, value: isYamlMap(inner) ? inner : {}, file: loaded.file, index });
  });
  return out;
}

export function mergeKubeconfigs(files: readonly LoadedKubeconfig[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), problems: [], duplicates: new Set() };
  for (const loaded of files) {
    for (const list of ['clusters', 'users', 'contexts'] as const) {
      const target = merged[list];
      for (const entry of namedEntries(loaded, list, merged.problems, merged.duplicates)) {
        if (!target.has(entry.name)) target.set(entry.name, entry);
      }
    }
    const current = scalarText(loaded.doc['current-context']);
    if (merged.currentContext === undefined && current !== undefined && current !== '') merged.currentContext = current;
  }
  return merged;
}

/** Reads a string field of a YAML map ('' when absent or not a string). */
export function str(map: YamlMap | undefined, key: string): string {
  return scalarText(map?.[key]) ?? '';
}
