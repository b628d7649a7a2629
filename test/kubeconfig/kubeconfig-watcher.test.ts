/**
 * The watcher over real files and real fs.watch: replace-by-rename (editors, our own writer),
 * in-place writes, and a kubeconfig that appears in a folder that did not exist. Every wait is
 * on the watcher's own event, never a sleep.
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeconfigModel } from '../../shared/contract/kubeconfig-model.js';
import { writeFileAtomicSync } from '../../shared/kubeconfig/atomic-write.js';
import { isRelevantEvent, watchKubeconfig, type KubeconfigWatcher } from '../../shared/kubeconfig/kubeconfig-watcher.js';
import { buildKubeconfig, makeTempDir, removeDir, writeYaml } from '../support/kubeconfig-fixtures.js';
import * as yaml from 'js-yaml';

const dirs: string[] = [];
const watchers: KubeconfigWatcher[] = [];
after(() => {
  watchers.forEach((w) => w.close());
  dirs.forEach(removeDir);
});
function tempDir(): string {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}

/** Starts a watcher whose models arrive on a queue the test awaits. */
function start(files: string[]): { watcher: KubeconfigWatcher; next: (predicate: (m: KubeconfigModel) => boolean) => Promise<KubeconfigModel>; emitted: () => number } {
  const waiting: Array<{ predicate: (m: KubeconfigModel) => boolean; resolve: (m: KubeconfigModel) => void }> = [];
  let count = 0;
  const watcher = watchKubeconfig(files, (model) => {
    count++;
    for (const w of [...waiting]) {
      if (w.predicate(model)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(model);
      }
    }
  }, { debounceMs: 30 });
  watchers.push(watcher);
  return {
    watcher,
    next: (predicate) => (predicate(watcher.current()) ? Promise.resolve(watcher.current()) : new Promise((resolve) => waiting.push({ predicate, resolve }))),
    emitted: () => count,
  };
}

const names = (m: KubeconfigModel): string => m.contexts.map((c) => c.name).join(',');

describe('kubeconfig watcher', () => {
  it('emits a new model when the file is replaced by rename or written in place', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, buildKubeconfig({ a: { raw: {} } }));
    const w = start([file]);
    assert.equal(names(w.watcher.current()), 'a');
    writeFileAtomicSync(file, yaml.dump(buildKubeconfig({ a: { raw: {} }, b: { raw: {} } })));
    assert.equal(names(await w.next((m) => names(m) === 'a,b')), 'a,b');
    fs.writeFileSync(file, yaml.dump(buildKubeconfig({ c: { raw: {} } })));
    assert.equal(names(await w.next((m) => names(m) === 'c')), 'c');
    fs.rmSync(file);
    const gone = await w.next((m) => m.contexts.length === 0);
    assert.deepEqual(gone.missingFiles, [file]);
  });

  it('debounces a burst of writes into (at most a couple of) models, the last one current', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, buildKubeconfig({ start: { raw: {} } }));
    const w = start([file]);
    // Synchronous writes: every event is queued before the watcher can run once.
    for (let i = 0; i < 10; i++) writeYaml(file, buildKubeconfig({ [`burst-${i}`]: { raw: {} } }));
    assert.equal(names(await w.next((m) => names(m) === 'burst-9')), 'burst-9');
    assert.ok(w.emitted() <= 2, `emitted ${w.emitted()} models for one burst`);
  });

  it('sees a kubeconfig created in a folder that did not exist', async () => {
    const dir = tempDir();
    const file = path.join(dir, '.kube', 'config');
    const w = start([file]);
    assert.equal(w.watcher.current().contexts.length, 0);
    fs.mkdirSync(path.dirname(file));
    writeYaml(file, buildKubeconfig({ fresh: { raw: {} } }));
    assert.equal(names(await w.next((m) => names(m) === 'fresh')), 'fresh');
  });

  it('refresh() emits only when content changed', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, buildKubeconfig({ a: { raw: {} } }));
    const w = start([file]);
    w.watcher.refresh();
    assert.equal(w.emitted(), 0, 'same bytes: no new model');
    writeYaml(file, buildKubeconfig({ b: { raw: {} } }));
    w.watcher.refresh();
    assert.equal(w.emitted(), 1);
    assert.equal(names(w.watcher.current()), 'b');
    w.watcher.close();
  });

  it('ignores unrelated names and our own temp files', () => {
    const files = new Set(['/k/config', '/k/other']);
    assert.equal(isRelevantEvent(files, '/k', 'config'), true);
    assert.equal(isRelevantEvent(files, '/k', 'cache'), false);
    assert.equal(isRelevantEvent(files, '/k', '.config.kubetray-123-abcdef.tmp'), false);
    assert.equal(isRelevantEvent(files, '/k', 'config.kubetray-backup'), false);
    assert.equal(isRelevantEvent(files, '/k', null), true);
  });
});
