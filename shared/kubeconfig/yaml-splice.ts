/**
 * Minimal edits: put rewritten `users:` items back into the ORIGINAL text, so comments,
 * formatting and every other line of the file stay exactly as they were, and a dry-run diff shows
 * only the users that changed.
 *
 * It works on the text's indentation (the top-level `users:` block sequence, one item per
 * `- ` at the list's indent) and is checked, not trusted: the spliced text is parsed again and
 * must equal the intended document, else the caller falls back to writing the whole document
 * (flow-style lists, anchors shared across items, anything unusual).
 */
import { dumpYamlValue, parseKubeconfigYaml, yamlEqual, type YamlMap, type YamlValue } from './kubeconfig-yaml.js';

interface ItemRange {
  start: number;
  /** Exclusive; trailing blank and comment lines stay outside (they belong to what follows). */
  end: number;
}

const isNeutral = (line: string): boolean => line.trim() === '' || line.trimStart().startsWith('#');
const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The line ranges of the top-level `users:` items, or undefined when the shape is not plain. */
export function findUserItems(lines: readonly string[]): { indent: number; items: ItemRange[] } | undefined {
  const header = lines.findIndex((l) => /^users:\s*(#.*)?$/.test(l));
  if (header < 0) return undefined;
  let indent = -1;
  const items: ItemRange[] = [];
  let lastContent = header;
  let i = header + 1;
  for (; i < lines.length; i++) {
    const line = lines[i] as string;
    if (isNeutral(line)) continue;
    if (line.startsWith('---') || line.startsWith('...')) break;
    const ind = indentOf(line);
    const isItem = /^-(\s|$)/.test(line.slice(ind));
    if (indent < 0) {
      if (!isItem) return undefined;
      indent = ind;
    }
    if (ind < indent || (ind === indent && !isItem)) break;
    if (ind === indent && isItem) {
      const open = items[items.length - 1];
      if (open) open.end = lastContent + 1;
      items.push({ start: i, end: -1 });
    }
    lastContent = i;
  }
  const open = items[items.length - 1];
  if (open) open.end = lastContent + 1;
  return indent < 0 ? undefined : { indent, items };
}

/**
 * Replaces the users at `changes` (index in the `users` list -> new item) in `text`.
 * Returns the new text, or undefined when a safe splice is not possible.
 */
export function spliceUsers(text: string, changes: ReadonlyMap<number, YamlValue>, expected: YamlMap, file: string): string | undefined {
  const lines = text.split('\n');
  const found = findUserItems(lines);
  const users = expected.users;
  if (!found || !Array.isArray(users) || found.items.length !== users.length) return undefined;
  const pad = ' '.repeat(found.indent);
  // Replace from the end so earlier ranges stay valid.
  const order = [...changes.keys()].sort((a, b) => b - a);
  for (const index of order) {
    const range = found.items[index];
    if (!range) return undefined;
    const dumped = dumpYamlValue([changes.get(index) as YamlValue]).replace(/\n$/, '').split('\n');
    lines.splice(range.start, range.end - range.start, ...dumped.map((l) => (l === '' ? l : pad + l)));
  }
  const out = lines.join('\n');
  try {
    return yamlEqual(parseKubeconfigYaml(out, file), expected) ? out : undefined;
  } catch {
    return undefined;
  }
}
