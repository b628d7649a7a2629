/**
 * Kubeconfig YAML in and out, losing as little as js-yaml allows.
 *
 * - Numbers keep their exact text (`0755`, `1e3`, 20-digit integers) through a RawNumber
 *   wrapper, and YAML 1.1 booleans (`yes`, `off`) stay unquoted, so a round trip never rewrites a
 *   value that Go's YAML reader would read differently.
 * - Known limits: keys are strings (an unquoted `on:` key comes back as `'on':`), and an object's
 *   integer-like keys come first (JavaScript property order).
 * - Timestamps are not parsed (they stay strings); on output, strings that a YAML 1.1 reader
 *   (Go's, which kubectl uses) would take for a timestamp, bool (`yes`, `on`) or number are quoted.
 * - Merge keys (`<<: *base`) are expanded; anchors shared by several nodes are written back as
 *   anchors.
 * - Comments are lost in what this module writes: js-yaml has no comment model. Conversions
 *   therefore splice only the changed user items into the original text (yaml-splice.ts) and
 *   use a full dump only when that is not possible; every write keeps a backup.
 * - Duplicate mapping keys are an error (kubectl rejects them too), reported with their line.
 */
import * as yaml from 'js-yaml';
import { AppError } from '../core/app-error.js';

/*
 * Scalars kept as written. They extend String so that, used as a mapping key, they become their
 * text (js-yaml turns any other object key into '[object Object]').
 */

/** A YAML number kept as written (`0755`, `1e3`, `12345678901234567890`). */
export class RawNumber extends String {
  get text(): string {
    return this.valueOf();
  }
  toJSON(): number {
    return Number(this.valueOf());
  }
}

/**
 * A YAML 1.1 boolean that YAML 1.2 reads as a string (`yes`, `off`, `y`, ...). Go's YAML reader,
 * which kubectl uses, reads it as a bool: keep it unquoted as written, or kubectl would see a
 * string where it expects a bool (e.g. `insecure-skip-tls-verify: yes`).
 */
export class Yaml11Bool extends String {
  get text(): string {
    return this.valueOf();
  }
  toJSON(): boolean {
    return /^(y|yes|on)$/i.test(this.valueOf());
  }
}

const YAML11_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

// js-yaml exports its built-in types at run time; @types/js-yaml does not declare them.
const T = (yaml as unknown as { types: Record<'null' | 'bool' | 'int' | 'float' | 'merge' | 'timestamp' | 'str' | 'seq' | 'map', yaml.Type & { resolve(data: string): boolean } > }).types;

const rawNumberType = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => T.int.resolve(data) || T.float.resolve(data),
  construct: (data: string) => new RawNumber(data),
  instanceOf: RawNumber,
  represent: (value: object) => (value as RawNumber).text,
});

const yaml11BoolType = new yaml.Type('tag:kubetray.dev,2024:yaml11-bool', {
  kind: 'scalar',
  resolve: (data: string) => YAML11_BOOLS.has(data),
  construct: (data: string) => new Yaml11Bool(data),
  instanceOf: Yaml11Bool,
  represent: (value: object) => (value as Yaml11Bool).text,
});

const LOAD_SCHEMA = new yaml.Schema({
  implicit: [T.null, T.bool, yaml11BoolType, rawNumberType, T.merge],
  explicit: [T.str, T.seq, T.map],
});

// The dump schema also knows timestamps, only so that timestamp-looking strings get quoted.
const DUMP_SCHEMA = new yaml.Schema({
  implicit: [T.null, T.bool, yaml11BoolType, rawNumberType, T.timestamp, T.merge],
  explicit: [T.str, T.seq, T.map],
});

export type YamlValue = null | boolean | string | RawNumber | Yaml11Bool | YamlValue[] | { [key: string]: YamlValue };
export type YamlMap = { [key: string]: YamlValue };

export function isYamlMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof String);
}

/** The text of a scalar (string, number or YAML 1.1 bool as written); undefined for others. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof String) return value.valueOf();
  return undefined;
}

/**
 * Parses one kubeconfig file's text. An empty file (or only comments) is an empty config, as
 * for kubectl. Throws AppError kubeconfig/parse (with the line) or kubeconfig/invalid.
 */
export function parseKubeconfigYaml(text: string, file: string): YamlMap {
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: LOAD_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const line = error.mark ? error.mark.line + 1 : 0;
      // js-yaml gives no error code; its reason text for duplicate keys is stable across 4.x.
      const duplicate = /duplicated mapping key/.test(error.reason ?? '');
      const what = duplicate
        ? `a key appears twice in the same mapping at line ${line}: remove one of them`
        : `${error.reason ?? 'invalid YAML'} at line ${line}, column ${error.mark ? error.mark.column + 1 : 0}: fix the file or restore it from its .kubetray-backup`;
      throw new AppError('kubeconfig/parse', `Cannot read kubeconfig ${file}: ${what}.`, {
        cause: error,
        detail: { file, line, reason: duplicate ? 'duplicate-key' : 'syntax' },
      });
    }
    throw error;
  }
  if (doc === undefined || doc === null) return {};
  if (!isYamlMap(doc)) {
    throw new AppError('kubeconfig/invalid', `Kubeconfig ${file} is not a YAML mapping (it must start with keys such as apiVersion, clusters, users): check that this is a kubeconfig file.`, {
      detail: { file },
    });
  }
  return doc;
}

/** Writes a document back as YAML, kubectl-style (sequences not indented under their key). */
export function dumpKubeconfigYaml(doc: YamlMap): string {
  return dumpYamlValue(doc);
}

/** Any YAML value in the same style (used to write a single list item back into a file). */
export function dumpYamlValue(value: YamlValue): string {
  return unquoteFlags(yaml.dump(value, { schema: DUMP_SCHEMA, lineWidth: -1, noArrayIndent: true }));
}

const BLOCK_START = /(?:^\s*-|:)\s+[|>][0-9+-]*$/;
const QUOTED_FLAG = /^(\s*(?:-\s+|[^'"\s][^:]*:\s+))'(--?[A-Za-z][A-Za-z0-9-]*)'$/;

/**
 * js-yaml quotes every scalar that starts with '-', so exec args would read '--server-id'.
 * A plain `--flag` is a string in YAML 1.1 and 1.2 alike; unquote those (outside block
 * scalars, whose content is never touched) so converted files look like kubectl's.
 */
function unquoteFlags(text: string): string {
  const lines = text.split('\n');
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (BLOCK_START.test(line)) {
      blockIndent = indent;
      continue;
    }
    const m = QUOTED_FLAG.exec(line);
    if (m) lines[i] = `${m[1]}${m[2]}`;
  }
  return lines.join('\n');
}

/** Structural equality of two YAML values (RawNumbers by text). */
export function yamlEqual(a: YamlValue | undefined, b: YamlValue | undefined): boolean {
  if (a === b) return true;
  if (a instanceof String || b instanceof String) {
    return a instanceof String && b instanceof String && a.constructor === b.constructor && a.valueOf() === b.valueOf();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => yamlEqual(x, b[i]));
  }
  if (isYamlMap(a) && isYamlMap(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k, i) => k === kb[i] && yamlEqual(a[k], b[k]));
  }
  return false;
}
