import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEphemeralSecretBox } from './ephemeral-secret-box.js';

test('memory-only box round-trips in one process and nothing else can open its output', async () => {
  const box = createEphemeralSecretBox();
  const plain = new TextEncoder().encode('{"RefreshToken":{}}');
  const sealed = await box.encrypt(plain);
  assert.ok(!Buffer.from(sealed).includes(Buffer.from('RefreshToken')), 'sealed, not encoded');
  assert.deepEqual(Buffer.from(await box.decrypt(sealed)), Buffer.from(plain), 'same bytes back');
  // A new process (a new box) has another key: the old file is unreadable, by design.
  await assert.rejects(createEphemeralSecretBox().decrypt(sealed), (e: Error & { code?: string }) => e.code === 'cache/corrupt');
  // Tampering is detected.
  const tampered = new Uint8Array(sealed);
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
  await assert.rejects(box.decrypt(tampered));
});
