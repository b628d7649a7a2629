import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineDecoder } from './line-decoder.js';

test('splits lines across chunks and skips blank lines', () => {
  const lines: string[] = [];
  const d = createLineDecoder(100, (l) => lines.push(l), () => assert.fail('overflow'));
  d.push(Buffer.from('{"a":1}\n{"b"'));
  d.push(Buffer.from(':2}\n\n{"c":3}'));
  d.push(Buffer.from('\n'));
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test('a line over the cap overflows once and stops decoding', () => {
  let overflows = 0;
  const lines: string[] = [];
  const d = createLineDecoder(8, (l) => lines.push(l), () => overflows++);
  assert.equal(d.push(Buffer.from('12345')), true);
  assert.equal(d.push(Buffer.from('6789\nok\n')), false);
  assert.equal(d.push(Buffer.from('more\n')), false);
  assert.equal(overflows, 1);
  assert.deepEqual(lines, []);
});

test('multi-byte characters split across chunks survive', () => {
  const lines: string[] = [];
  const d = createLineDecoder(100, (l) => lines.push(l), () => undefined);
  const bytes = Buffer.from('"é"\n');
  d.push(bytes.subarray(0, 2));
  d.push(bytes.subarray(2));
  assert.deepEqual(lines, ['"é"']);
});
