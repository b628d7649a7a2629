/**
 * Plans a conversion over already-loaded kubeconfig files: which users change, in which file,
 * and the new text of each file. No I/O, so the CLI, the window and the tests share it.
 *
 * Rules (kubelogin's, plus what it lacks):
 * - users are taken from the merged config (first file that defines a name wins) and each goes
 *   back to the file it came from; with --context only that context's user is converted;
 * - a user is converted when it uses the legacy azure auth-provider or an exec command
 *   containing "kubelogin" (or ours, "kubetray");
 * - only the users' `exec`/`auth-provider` change; every other key of every file is kept;
 * - a file whose users end up unchanged is not rewritten at all.
 */
import { AppError } from '../core/app-error.js';
import { convertUser, type ConvertSettings, type ConvertedUser } from './convert-user.js';
import { duplicateKey, mergeKubeconfigs, str, type LoadedKubeconfig } from './kubeconfig-merge.js';
import { dumpKubeconfigYaml, isYamlMap, yamlEqual, type YamlMap } from './kubeconfig-yaml.js';
import { spliceUsers } from './yaml-splice.js';
import { isConvertibleUser } from './user-auth.js';

export interface UserChange extends ConvertedUser {
  name: string;
  file: string;
  changed: boolean;
}

export interface FilePlan {
  file: string;
  before: string;
  after: string;
  doc: YamlMap;
  /** Only the changed user items were replaced: comments and formatting elsewhere are kept. */
  spliced: boolean;
  /** Users rewritten in this file (only those whose stanza really changed). */
  users: string[];
}

export interface ConversionPlan {
  users: UserChange[];
  /** Files that need writing (at least one user changed). */
  files: FilePlan[];
}

/**
 * The new text of a file: the original with only the changed user items replaced (comments and
 * formatting kept) when that provably yields the new document, else the whole document
 * re-serialised. Either way a file written on Windows keeps its CRLF line ends and its BOM.
 */
function writeBack(before: string, changes: ReadonlyMap<number, YamlMap>, doc: YamlMap, file: string): { text: string; spliced: boolean } {
  const bom = before.startsWith('\uFEFF');
  const crlf = before.includes('\r\n');
  const plain = (bom ? before.slice(1) : before).replace(/\r\n/g, '\n');
  const items = new Map<number, YamlMap>();
  const list = Array.isArray(doc.users) ? doc.users : [];
  for (const index of changes.keys()) items.set(index, list[index] as YamlMap);
  const spliced = spliceUsers(plain, items, doc, file);
  let out = spliced ?? dumpKubeconfigYaml(doc);
  if (crlf) out = out.replace(/\n/g, '\r\n');
  return { text: bom ? '\uFEFF' + out : out, spliced: spliced !== undefined };
}

export function planConversion(loaded: readonly LoadedKubeconfig[], settings: ConvertSettings, context?: string): ConversionPlan {
  const merged = mergeKubeconfigs(loaded);
  let target: string | undefined;
  if (context !== undefined && context !== '') {
    const ctx = merged.contexts.get(context);
    if (!ctx) {
      const known = [...merged.contexts.keys()];
      const list = known.length === 0 ? 'there are no contexts' : `known contexts: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`;
      throw new AppError('kubeconfig/context-not-found', `no context exists with the name: "${context}" (${list}); pick one from 'kubectl config get-contexts'.`, { detail: { context } });
    }
    target = str(ctx.value, 'user');
  }

  const users: UserChange[] = [];
  const newUsers = new Map<string, Map<number, YamlMap>>();
  for (const entry of merged.users.values()) {
    if (target !== undefined && entry.name !== target) continue;
    if (!isConvertibleUser(entry.value)) continue;
    if (merged.duplicates.has(duplicateKey(entry.file, 'users', entry.name))) {
      throw new AppError('kubeconfig/invalid', `'users' in ${entry.file} defines '${entry.name}' twice: kubectl refuses this file; remove one of them, then convert again.`, {
        detail: { file: entry.file, user: entry.name },
      });
    }
    const converted = convertUser(entry.name, entry.value, settings);
    const changed = !yamlEqual(entry.value, converted.user);
    users.push({ ...converted, name: entry.name, file: entry.file, changed });
    if (changed) {
      const perFile = newUsers.get(entry.file) ?? new Map<number, YamlMap>();
      perFile.set(entry.index, converted.user);
      newUsers.set(entry.file, perFile);
    }
  }

  const files: FilePlan[] = [];
  for (const file of loaded) {
    const changes = newUsers.get(file.file);
    if (!changes) continue;
    const list = file.doc.users;
    if (!Array.isArray(list)) continue;
    // Copy only the path to the changed users; everything else is shared, read-only.
    const newList = list.map((item, i) => {
      const replacement = changes.get(i);
      return replacement && isYamlMap(item) ? { ...item, user: replacement } : item;
    });
    const doc: YamlMap = { ...file.doc, users: newList };
    const written = writeBack(file.text, changes, doc, file.file);
    files.push({
      file: file.file,
      before: file.text,
      after: written.text,
      spliced: written.spliced,
      doc,
      users: users.filter((u) => u.file === file.file && u.changed).map((u) => u.name),
    });
  }
  return { users, files };
}
