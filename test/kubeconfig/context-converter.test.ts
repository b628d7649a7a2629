/**
 * The window's one-click convert: one context, its own file, the login it already has.
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readClusterModel } from '../../shared/kubeconfig/cluster-model.js';
import { createContextConverter } from '../../shared/kubeconfig/context-converter.js';
import { buildKubeconfig, makeTempDir, readYaml, removeDir, userOf, writeYaml } from '../support/kubeconfig-fixtures.js';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));
const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';

describe('context converter (window)', () => {
  it('converts one context in its own file, keeping its login method, and reports a no-op', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    writeYaml(a, buildKubeconfig({ one: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } } }));
    writeYaml(b, buildKubeconfig({ two: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } }, legacy: { authProvider: { name: 'azure', config: { 'apiserver-id': SERVER, 'client-id': 'c', 'tenant-id': 't' } } } }));
    const aText = fs.readFileSync(a, 'utf8');
    const files = [a, b];
    // Environment overrides of the tray's own process must not leak into the file.
    const convert = createContextConverter({ files: () => files, env: { AAD_LOGIN_METHOD: 'msi' }, cwd: dir });
    const model = readClusterModel({ files });
    const two = model.contexts.find((c) => c.name === 'two');
    assert.ok(two?.convertible);
    const result = await convert(two);
    assert.equal(result.changed, true);
    assert.match(result.message, /Context "two" now signs in with KubeTray \(--login azurecli\)/);
    assert.match(result.message, /kubetray-backup/);
    assert.equal(fs.readFileSync(a, 'utf8'), aText, 'the other file is untouched');
    assert.deepEqual((userOf(readYaml(b), 'two')?.exec as Record<string, unknown>).args, ['get-token', '--login', 'azurecli', '--server-id', SERVER]);
    assert.ok(userOf(readYaml(b), 'legacy')?.['auth-provider'], 'other users of the same file are untouched');

    const legacy = readClusterModel({ files }).contexts.find((c) => c.name === 'legacy');
    const second = await convert(legacy!);
    assert.equal(second.changed, true);
    assert.deepEqual((userOf(readYaml(b), 'legacy')?.exec as Record<string, unknown>).args, ['get-token', '--login', 'devicecode', '--server-id', SERVER, '--client-id', 'c', '--tenant-id', 't', '--legacy']);

    const again = await convert(readClusterModel({ files }).contexts.find((c) => c.name === 'two')!);
    assert.equal(again.changed, false);
    assert.match(again.message, /already up to date/);
  });

  it('says which flags of the old stanza were not carried over (a client secret in the args)', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const file = path.join(dir, 'config');
    const secret = 'Not-In-The-Message-1';
    writeYaml(file, buildKubeconfig({ sp: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'spn', '--server-id', SERVER, '--client-id', 'c', '--tenant-id', 't', '--client-secret', secret] } } }));
    const convert = createContextConverter({ files: () => [file], env: {}, cwd: dir });
    const sp = readClusterModel({ files: [file] }).contexts.find((c) => c.name === 'sp');
    const result = await convert(sp!);
    assert.equal(result.changed, true);
    assert.match(result.message, /Not carried over .*--client-secret/);
    assert.ok(!result.message.includes(secret));
  });
});
