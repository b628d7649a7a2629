/**
 * The YAML codec's promises (numbers and YAML 1.1 booleans as written, flags unquoted outside
 * block scalars, errors with lines) and the unified diff (checked by applying it back, and
 * against GNU patch).
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { AppError } from '../../shared/core/app-error.js';
import { dumpKubeconfigYaml, parseKubeconfigYaml } from '../../shared/kubeconfig/kubeconfig-yaml.js';
import { unifiedDiff } from '../../shared/kubeconfig/unified-diff.js';
import { findUserItems, spliceUsers } from '../../shared/kubeconfig/yaml-splice.js';
import { makeTempDir, removeDir } from '../support/kubeconfig-fixtures.js';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));

describe('kubeconfig YAML codec', () => {
  it('round-trips numbers, booleans and flags as written', () => {
    const src = ['a: 0755', 'b: 1e3', 'c: 12345678901234567890', 'd: yes', 'e: "yes"', 'f: true', 'g: 2024-01-01', 'args:', '- get-token', '- --login', '- -l', "- '--x=y'", 'h: ~', ''].join('\n');
    const out = dumpKubeconfigYaml(parseKubeconfigYaml(src, 'f'));
    assert.equal(out, ['a: 0755', 'b: 1e3', 'c: 12345678901234567890', 'd: yes', "e: 'yes'", 'f: true', "g: '2024-01-01'", 'args:', '- get-token', '- --login', '- -l', "- '--x=y'", 'h: null', ''].join('\n'));
  });

  it('never changes a value: 200 random documents with tricky strings survive parse + dump (seeded)', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const tricky = ['yes', 'no', 'on', 'y', '0755', '1e3', '--flag', '-l', "--it's", '- item', 'a: b', '#x', '', ' lead', 'trail ', 'multi\nline\n', '|', '>', '2024-01-01', 'null', '~', 'true', '@at', '`tick`', '%pct', '*star', '&amp', '!bang', '{x}', '[y]', 'ünï', '"q"'];
    const value = (depth: number): unknown => {
      const k = rand(depth > 2 ? 4 : 7);
      if (k === 0) return tricky[rand(tricky.length)];
      if (k === 1) return rand(1000);
      if (k === 2) return rand(2) === 0;
      if (k === 3) return null;
      if (k === 4 || k === 5) return Array.from({ length: rand(4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rand(4) }, () => [`${tricky[rand(tricky.length)]}k${rand(9)}`, value(depth + 1)]));
    };
    for (let round = 0; round < 200; round++) {
      const doc = { users: [{ name: 'u', user: { exec: { args: Array.from({ length: 4 }, () => tricky[rand(tricky.length)]) } } }], x: value(0) };
      const text = yaml.dump(doc);
      const out = dumpKubeconfigYaml(parseKubeconfigYaml(text, 'f'));
      assert.deepEqual(yaml.load(out, { schema: yaml.CORE_SCHEMA }), yaml.load(text, { schema: yaml.CORE_SCHEMA }), `round ${round}:\n${text}`);
    }
  });

  it('never rewrites the inside of a block scalar', () => {
    const src = "hint: |\n  - '--keep-quoted'\n  text\nx: '--flag'\n";
    const doc = parseKubeconfigYaml(src, 'f');
    doc.hint = "- '--keep-quoted'\ntext\n";
    const out = dumpKubeconfigYaml(doc);
    assert.equal(parseKubeconfigYaml(out, 'f').hint, "- '--keep-quoted'\ntext\n");
    assert.match(out, /\nx: --flag\n/);
  });

  it('reports syntax errors and duplicate keys with their line', () => {
    const cases: Array<[string, RegExp, string]> = [
      ['a: 1\nb: [\n', /at line 3/, 'syntax'],
      ['a: 1\nb: 2\na: 3\n', /appears twice .* at line 3/, 'duplicate-key'],
    ];
    for (const [text, message, reason] of cases) {
      assert.throws(
        () => parseKubeconfigYaml(text, '/tmp/f'),
        (e: unknown) => e instanceof AppError && e.code === 'kubeconfig/parse' && message.test(e.message) && e.detail?.reason === reason,
      );
    }
    assert.throws(() => parseKubeconfigYaml('- a\n- b\n', 'f'), (e: unknown) => e instanceof AppError && e.code === 'kubeconfig/invalid');
    assert.deepEqual(parseKubeconfigYaml('# only a comment\n', 'f'), {});
  });
});

describe('minimal edits (splice)', () => {
  const text = [
    '# top comment',
    'apiVersion: v1',
    'users:',
    '  # about a',
    '  - name: a   # trailing comment',
    '    user:',
    '      token: x',
    '',
    '  # about b',
    '  - name: b',
    '    user: {token: y}',
    'contexts: []   # kept',
    '',
  ].join('\n');

  it('finds the items of an indented users list, comments left between them', () => {
    const found = findUserItems(text.split('\n'));
    assert.deepEqual(found, { indent: 2, items: [{ start: 4, end: 7 }, { start: 9, end: 11 }] });
  });

  it('replaces only the changed item and keeps every other line', () => {
    const doc = parseKubeconfigYaml(text, 'f');
    const users = doc.users as Array<Record<string, unknown>>;
    const changed = { name: 'b', user: { exec: { command: 'kubetray', args: ['get-token', '--login', 'azurecli'] } } };
    const expected = { ...doc, users: [users[0], changed] } as typeof doc;
    const out = spliceUsers(text, new Map([[1, changed as never]]), expected, 'f');
    assert.equal(out, text.replace('  - name: b\n    user: {token: y}', '  - name: b\n    user:\n      exec:\n        command: kubetray\n        args:\n        - get-token\n        - --login\n        - azurecli'));
  });

  it('refuses (undefined) when the result would not be the intended document', () => {
    const shared = 'users:\n- name: a\n  user: &u {token: x}\n- name: b\n  user: *u\n';
    const doc = parseKubeconfigYaml(shared, 'f');
    const changed = { name: 'a', user: { token: 'new' } };
    const expected = { ...doc, users: [changed, (doc.users as unknown[])[1]] } as typeof doc;
    assert.equal(spliceUsers(shared, new Map([[0, changed as never]]), expected, 'f'), undefined, 'the alias *u would lose its anchor');
    assert.equal(spliceUsers('users: [{name: a}]\n', new Map(), { users: [{ name: 'a' }] }, 'f'), undefined, 'flow style');
  });
});

function applyUnified(before: string, diff: string): string {
  const src = before.split('\n');
  if (src[src.length - 1] === '') src.pop();
  const out: string[] = [];
  let at = 0;
  const lines = diff.split('\n').slice(2);
  for (let i = 0; i < lines.length; i++) {
    const m = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(lines[i] ?? '');
    if (!m) continue;
    const start = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (at < start) out.push(src[at++] as string);
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('@@'); i++) {
      const l = lines[i] as string;
      if (l === '') continue;
      if (l[0] === ' ') {
        assert.equal(src[at], l.slice(1), 'context matches');
        out.push(src[at++] as string);
      } else if (l[0] === '-') {
        assert.equal(src[at], l.slice(1), 'deleted line matches');
        at++;
      } else if (l[0] === '+') out.push(l.slice(1));
    }
    i--;
  }
  while (at < src.length) out.push(src[at++] as string);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

describe('unified diff', () => {
  const pairs: Array<[string, string, string]> = [
    ['equal', 'a\nb\n', 'a\nb\n'],
    ['insert at start', 'b\nc\n', 'a\nb\nc\n'],
    ['delete at end', 'a\nb\nc\n', 'a\nb\n'],
    ['from empty', '', 'a\nb\n'],
    ['to empty', 'a\nb\n', ''],
    ['repeated lines', '- x\n- x\n- y\n- x\n', '- x\n- y\n- y\n- x\n- x\n'],
    ['two far hunks', Array.from({ length: 40 }, (_, i) => `l${i}`).join('\n') + '\n', Array.from({ length: 40 }, (_, i) => (i === 3 || i === 30 ? `L${i}` : `l${i}`)).join('\n') + '\n'],
  ];
  for (const [name, a, b] of pairs) {
    it(`applies back: ${name}`, () => {
      const diff = unifiedDiff(a, b, 'a', 'b');
      if (a === b) assert.equal(diff, '');
      else assert.equal(applyUnified(a, diff), b);
    });
  }

  it('applies back for 300 random edits (seeded), repeated lines included', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rand(40) }, () => `- ${['get-token', '--login', 'x', 'y'][rand(4)]}${rand(3) === 0 ? rand(50) : ''}`);
      const b = [...a];
      for (let e = rand(6); e > 0; e--) {
        const at = rand(b.length + 1);
        if (rand(2) === 0 && b.length > 0) b.splice(Math.min(at, b.length - 1), 1);
        else b.splice(at, 0, `+ new ${rand(5)}`);
      }
      const ta = a.length ? a.join('\n') + '\n' : '';
      const tb = b.length ? b.join('\n') + '\n' : '';
      assert.equal(applyUnified(ta, unifiedDiff(ta, tb, 'a', 'b')), tb, `round ${round}`);
    }
  });

  it('is accepted by GNU patch on a big kubeconfig-like file', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const a = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? '- get-token' : `line ${i}`)).join('\n') + '\n';
    const b = a.replace(/line (\d*5)\n/g, 'changed $1\n- extra\n');
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, a);
    fs.writeFileSync(path.join(dir, 'p'), unifiedDiff(a, b, 'f', 'f'));
    execFileSync('patch', ['-s', file, path.join(dir, 'p')]);
    assert.equal(fs.readFileSync(file, 'utf8'), b);
  });
});
