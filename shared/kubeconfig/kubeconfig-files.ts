/**
 * Which kubeconfig files kubectl reads, and reading them (client-go clientcmd loading rules):
 * --kubeconfig wins (and must exist); else every file in $KUBECONFIG (split on the platform's
 * path delimiter, empties and repeats dropped, missing files skipped); else ~/.kube/config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../core/app-error.js';
import type { KubeconfigFileProblem } from '../contract/kubeconfig-model.js';
import type { LoadedKubeconfig } from './kubeconfig-merge.js';
import { parseKubeconfigYaml } from './kubeconfig-yaml.js';

export interface KubeconfigLocation {
  /** --kubeconfig, if given. */
  explicit?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  platform?: NodeJS.Platform;
}

export interface ResolvedKubeconfigPaths {
  files: string[];
  explicit: boolean;
}

export function homeDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    if (env.HOME) return env.HOME;
    if (env.HOMEDRIVE && env.HOMEPATH) return env.HOMEDRIVE + env.HOMEPATH;
    return env.USERPROFILE ?? '';
  }
  return env.HOME ?? '';
}

export function resolveKubeconfigPaths(loc: KubeconfigLocation): ResolvedKubeconfigPaths {
  const platform = loc.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (loc.explicit) return { files: [p.resolve(loc.cwd, loc.explicit)], explicit: true };
  const list = loc.env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const files: string[] = [];
    for (const part of list.split(platform === 'win32' ? ';' : ':')) {
      if (part === '') continue;
      const full = p.resolve(loc.cwd, part);
      if (!files.includes(full)) files.push(full);
    }
    if (files.length > 0) return { files, explicit: false };
  }
  return { files: [p.join(homeDir(loc.env, platform), '.kube', 'config')], explicit: false };
}

export interface ReadKubeconfigsResult {
  loaded: LoadedKubeconfig[];
  missing: string[];
  /** Files that exist but could not be read or parsed (each as an AppError). */
  failed: Array<{ file: string; error: AppError }>;
}

function readOne(file: string): LoadedKubeconfig | 'missing' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    throw new AppError('kubeconfig/not-found', `Cannot read kubeconfig ${file} (${code ?? 'error'}): check the path and its permissions.`, { cause: error, detail: { file } });
  }
  return { file, text, doc: parseKubeconfigYaml(text, file) };
}

/** Reads every file; never throws for one bad file (the caller decides). */
export function readKubeconfigs(files: readonly string[]): ReadKubeconfigsResult {
  const result: ReadKubeconfigsResult = { loaded: [], missing: [], failed: [] };
  for (const file of files) {
    try {
      const one = readOne(file);
      if (one === 'missing') result.missing.push(file);
      else result.loaded.push(one);
    } catch (error) {
      result.failed.push({ file, error: error instanceof AppError ? error : new AppError('kubeconfig/parse', `Cannot read kubeconfig ${file}.`, { cause: error }) });
    }
  }
  return result;
}

export function toFileProblem(f: { file: string; error: AppError }): KubeconfigFileProblem {
  return { file: f.file, code: f.error.code, message: f.error.message };
}
