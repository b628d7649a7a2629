import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createKubeconfigSource } from './kubeconfig-source.js';

const config = (context: string) => `apiVersion: v1\nkind: Config\nclusters: []\ncontexts:\n- name: ${context}\n  context: {cluster: c, user: u}\nusers: []\n`;

test('after the kubeconfig list changes in Settings, the files now read are the ones watched', async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-source-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const first = path.join(root, 'a', 'config');
  const second = path.join(root, 'b', 'config');
  for (const f of [first, second]) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, config('before'), { mode: 0o600 });
  }
  let paths = [first];
  const source = createKubeconfigSource({ paths: () => paths, env: {}, cwd: root });
  t.after(() => source.close());
  let changes = 0;
  let notify: (() => void) | undefined;
  source.watch(() => {
    changes++;
    notify?.();
  });
  const nextChange = (ms = 5000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no change was seen')), ms);
      notify = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  paths = [second];
  const model = await source.loadModel();
  assert.deepEqual(model.files, [second]);
  const seen = nextChange();
  fs.writeFileSync(second, config('after'));
  await seen;
  assert.equal(changes, 1);
  assert.deepEqual((await source.loadModel()).contexts.map((c) => c.name), ['after']);
});
