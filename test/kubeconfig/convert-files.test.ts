/**
 * convert-kubeconfig over real, odd, multi-file kubeconfigs: nothing unrelated is lost, each user
 * goes back to the file it came from, and a writer killed before its rename leaves the original
 * intact (real child process, real SIGKILL).
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { runConvert } from '../../shared/kubeconfig/convert-command.js';
import { readClusterModel } from '../../shared/kubeconfig/cluster-model.js';
import { isAtomicTempFile } from '../../shared/kubeconfig/atomic-write.js';
import { bigKubeconfig, buildKubeconfig, captureIo, makeTempDir, readYaml, removeDir, userOf, writeYaml } from '../support/kubeconfig-fixtures.js';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));
function tempDir(): string {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}

const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** Shaped like real files: az aks + kubectl + hand edits, with every odd thing we could think of. */
const ODD_KUBECONFIG = `# managed by hand; this comment is lost (the backup keeps it)
apiVersion: v1
kind: Config
current-context: prod
preferences:
  colors: true
  extensions:
  - name: io.example/prefs
    extension: {theme: dark, size: 0755, ratio: 1e3, big: 12345678901234567890}
clusters:
- name: prod
  cluster:
    server: https://prod.hcp.westeurope.azmk8s.io:443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    tls-server-name: prod.internal
    proxy-url: http://proxy.corp:3128
    extensions:
    - name: client.authentication.k8s.io/exec
      extension:
        audience: "6dae42f8"
        version: 1.2
        labels: {"on": yes, n: "no"}
- name: dev
  cluster: &devcluster
    server: https://dev.example.test
    insecure-skip-tls-verify: yes
- name: dev-copy
  cluster: *devcluster
contexts:
- name: prod
  context: {cluster: prod, user: prod-user, namespace: "payments"}
- name: dev
  context:
    cluster: dev
    user: dev-user
    extensions: []
- name: ünïcødé
  context: {cluster: dev-copy, user: oidc-user}
users:
- name: prod-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, devicecode, --server-id, ${SERVER}, --client-id, c, --tenant-id, t]
      env:
      - {name: HTTPS_PROXY, value: "http://proxy.corp:3128"}
      provideClusterInfo: false
      x-unknown-field: kept
    as: admin@example.com
    as-groups: [sre, "on-call"]
- name: dev-user
  user:
    auth-provider:
      name: azure
      config:
        apiserver-id: ${SERVER}
        client-id: 80faf920-1908-4b52-b5ef-a8e7bedfc67a
        tenant-id: tenant-dev
        environment: AzurePublicCloud
        config-mode: "1"
        access-token: eyJ0eXAi.stale.value
    client-key-data: LS0tLS1CRUdJTg==
- name: oidc-user
  user:
    auth-provider:
      name: oidc
      config: {idp-issuer-url: "https://issuer.example", client-id: k8s, refresh-token: "r-1"}
    token-expiry: 2024-01-01T00:00:00Z
x-top-level-unknown:
  note: |
    keep me
      exactly
  when: 2024-05-06
`;

/**
 * The values as kubectl sees them: Go's YAML reader hands timestamp-looking scalars to
 * interface{} as strings, so the core schema (no timestamps) is the fair comparison.
 */
function semantic(text: string): Record<string, unknown> {
  return yaml.load(text, { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
}

describe('convert-kubeconfig: real-world files', () => {
  it('round-trips everything but the converted users’ exec stanzas', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, ODD_KUBECONFIG, { mode: 0o600 });
    const io = captureIo({}, dir);
    assert.equal(await runConvert(['--kubeconfig', file, '-l', 'devicecode'], io), 0, io.stderrText());
    const text = fs.readFileSync(file, 'utf8');
    const after = semantic(text);
    const before = semantic(ODD_KUBECONFIG);
    // Patch the expected changes into `before`, then the rest must be identical.
    const users = before.users as Array<{ name: string; user: Record<string, unknown> }>;
    const prod = users[0]?.user as Record<string, unknown>;
    const afterProd = userOf(after, 'prod-user') as Record<string, unknown>;
    const afterDev = userOf(after, 'dev-user') as Record<string, unknown>;
    assert.deepEqual((afterProd.exec as Record<string, unknown>).args, ['get-token', '--login', 'devicecode', '--server-id', SERVER, '--client-id', 'c', '--tenant-id', 't']);
    assert.equal((afterProd.exec as Record<string, unknown>)['x-unknown-field'], 'kept');
    assert.deepEqual((afterProd.exec as Record<string, unknown>).env, [{ name: 'HTTPS_PROXY', value: 'http://proxy.corp:3128' }]);
    prod.exec = afterProd.exec;
    const dev = users[1]?.user as Record<string, unknown>;
    assert.equal((dev['auth-provider'] as Record<string, unknown>).name, 'azure');
    delete dev['auth-provider'];
    dev.exec = afterDev.exec;
    assert.deepEqual((afterDev.exec as Record<string, unknown>).args, ['get-token', '--login', 'devicecode', '--server-id', SERVER, '--client-id', '80faf920-1908-4b52-b5ef-a8e7bedfc67a', '--tenant-id', 'tenant-dev', '--environment', 'AzurePublicCloud']);
    assert.equal(afterDev['auth-provider'], undefined);
    assert.deepEqual(after, before);
    // Only the two converted user items were rewritten: every other line, comments included, is as it was.
    const head = ODD_KUBECONFIG.slice(0, ODD_KUBECONFIG.indexOf('users:\n'));
    const tail = ODD_KUBECONFIG.slice(ODD_KUBECONFIG.indexOf('- name: oidc-user'));
    assert.ok(text.startsWith(head), 'everything before users: is byte-for-byte the same');
    assert.ok(text.endsWith(tail), 'the untouched oidc user and everything after it are the same');
    assert.ok(text.includes('# managed by hand'), 'comments outside the converted users are kept');
    // And kubectl agrees the file is fine, with the same contexts.
    const contexts = execFileSync('/usr/bin/kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', file], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(contexts, ['dev', 'prod', 'ünïcødé'].sort());
  });

  it('when the users list cannot be edited in place, the whole file is rewritten without losing values', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    // Flow-style users: no line-based splice; the document is re-serialised.
    const flow = ODD_KUBECONFIG.slice(0, ODD_KUBECONFIG.indexOf('users:\n')) +
      `users: [{name: prod-user, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token, --server-id, ${SERVER}, --login, azurecli]}}}]\n` +
      ODD_KUBECONFIG.slice(ODD_KUBECONFIG.indexOf('x-top-level-unknown:'));
    fs.writeFileSync(file, flow);
    const io = captureIo({}, dir);
    assert.equal(await runConvert(['--kubeconfig', file, '-l', 'azurecli'], io), 0, io.stderrText());
    const text = fs.readFileSync(file, 'utf8');
    const before = semantic(flow);
    (before.users as Array<{ user: Record<string, unknown> }>)[0]!.user = userOf(semantic(text), 'prod-user') as Record<string, unknown>;
    assert.deepEqual(semantic(text), before);
    assert.equal(((userOf(semantic(text), 'prod-user') as Record<string, unknown>).exec as Record<string, unknown>).command, 'kubetray');
    // Values whose text matters keep it exactly.
    assert.match(text, /size: 0755\b/);
    assert.match(text, /big: 12345678901234567890\b/);
    assert.match(text, /ratio: 1e3\b/);
    assert.match(text, /when: '2024-05-06'/);
    assert.match(text, /'on': yes\b/, 'YAML 1.1 booleans stay unquoted: kubectl reads them as bools');
    assert.match(text, /insecure-skip-tls-verify: yes\n/);
    assert.match(text, /'n': 'no'/, 'a quoted "no" stays a string');
    assert.match(text, /\n {4}keep me\n {6}exactly\n/);
    assert.match(text, /\n {6}- --server-id\n/, 'flags are written plain, as kubectl writes them');
    assert.ok(!text.includes('# managed by hand'), 'comments are lost on a full rewrite (documented); the backup has them');
    assert.ok(fs.readFileSync(file + '.kubetray-backup', 'utf8').includes('# managed by hand'));
    const contexts = execFileSync('/usr/bin/kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', file], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(contexts, ['dev', 'prod', 'ünïcødé'].sort());
  });

  it('with several KUBECONFIG files each user goes back to its own file; untouched files stay untouched', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    const c = path.join(dir, 'c.yaml');
    const dc = (tenant: string) => ({ exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER, '--tenant-id', tenant] } });
    writeYaml(a, buildKubeconfig({ one: dc('ta'), shared: dc('first-wins') }));
    writeYaml(b, buildKubeconfig({ two: dc('tb'), shared: dc('shadowed') }));
    writeYaml(c, buildKubeconfig({ other: { raw: { token: 'x' } } }));
    const bText = fs.readFileSync(b, 'utf8');
    const cStat = fs.statSync(c);
    const io = captureIo({ KUBECONFIG: [a, 'missing.yaml', b, c].join(path.delimiter) }, dir);
    assert.equal(await runConvert(['-l', 'azurecli'], io), 0, io.stderrText());
    const docA = readYaml(a);
    const docB = readYaml(b);
    assert.equal((userOf(docA, 'one')?.exec as Record<string, unknown>).command, 'kubetray');
    assert.equal((userOf(docA, 'shared')?.exec as Record<string, unknown>).command, 'kubetray');
    assert.equal((userOf(docB, 'two')?.exec as Record<string, unknown>).command, 'kubetray');
    // kubectl uses a's `shared`; b's copy is shadowed and left exactly as it was.
    assert.equal((userOf(docB, 'shared')?.exec as Record<string, unknown>).command, 'kubelogin');
    assert.notEqual(fs.readFileSync(b, 'utf8'), bText);
    assert.equal(fs.statSync(c).mtimeMs, cStat.mtimeMs);
    assert.equal(fs.statSync(c).ino, cStat.ino);
    assert.equal(fs.existsSync(c + '.kubetray-backup'), false);
    assert.equal(fs.existsSync(path.join(dir, 'missing.yaml')), false, 'missing files are not created');
  });

  it('--context converts only that context’s user, in the file that defines it', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yaml');
    const dc = { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } };
    writeYaml(a, buildKubeconfig({ one: dc }));
    writeYaml(b, buildKubeconfig({ two: dc }));
    const aText = fs.readFileSync(a, 'utf8');
    const io = captureIo({ KUBECONFIG: `${a}${path.delimiter}${b}` }, dir);
    assert.equal(await runConvert(['--context', 'two', '-l', 'azurecli'], io), 0, io.stderrText());
    assert.equal(fs.readFileSync(a, 'utf8'), aText);
    assert.equal((userOf(readYaml(b), 'two')?.exec as Record<string, unknown>).command, 'kubetray');
  });

  it('a writer killed just before its rename leaves the original intact and its temp file unread', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, bigKubeconfig(50));
    const original = fs.readFileSync(file, 'utf8');
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'crash-writer.js'), file, '-l', 'azurecli'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    assert.equal(signal, 'SIGKILL', `child exited with ${code}`);
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'the original is byte-for-byte intact');
    const temps = fs.readdirSync(dir).filter(isAtomicTempFile);
    assert.equal(temps.length, 1, 'the complete temp file was left behind by the crash');
    assert.ok(out.includes(temps[0] as string));
    // Nothing reads the temp file as config: not kubectl with KUBECONFIG, not our model.
    const names = execFileSync('/usr/bin/kubectl', ['config', 'get-contexts', '-o', 'name'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: file } }).trim().split('\n');
    assert.equal(names.length, 50);
    const model = readClusterModel({ env: { KUBECONFIG: file }, cwd: dir });
    assert.equal(model.contexts.length, 50);
    assert.equal(model.contexts.filter((c) => c.convertible).length, 30);
    // A new run completes despite the leftover.
    const io = captureIo({}, dir);
    assert.equal(await runConvert(['--kubeconfig', file, '-l', 'azurecli'], io), 0, io.stderrText());
    assert.equal(readClusterModel({ files: [file] }).contexts.filter((c) => c.convertible).length, 0);
    assert.deepEqual(fs.readdirSync(dir).filter(isAtomicTempFile), [], 'the dead writer’s temp file was cleaned up');
  });

  it('converts a 1,000-user file: only the Azure users change, kubectl still sees every context', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, bigKubeconfig(1000));
    const before = semantic(fs.readFileSync(file, 'utf8'));
    const io = captureIo({}, dir);
    assert.equal(await runConvert(['--kubeconfig', file, '-l', 'azurecli'], io), 0, io.stderrText());
    const after = semantic(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(after.clusters, before.clusters);
    assert.deepEqual(after.contexts, before.contexts);
    const beforeUsers = before.users as Array<{ name: string; user: Record<string, unknown> }>;
    const afterUsers = after.users as Array<{ name: string; user: Record<string, unknown> }>;
    assert.equal(afterUsers.length, 1000);
    let converted = 0;
    afterUsers.forEach((u, i) => {
      const old = beforeUsers[i] as { name: string; user: Record<string, unknown> };
      assert.equal(u.name, old.name);
      const exec = u.user.exec as Record<string, unknown> | undefined;
      if (exec?.command === 'kubetray') {
        converted++;
        assert.deepEqual((exec.args as string[]).slice(0, 3), ['get-token', '--login', 'azurecli']);
      } else assert.deepEqual(u.user, old.user);
    });
    assert.equal(converted, 600);
    const count = execFileSync('/usr/bin/kubectl', ['config', 'get-contexts', '-o', 'name', '--kubeconfig', file], { encoding: 'utf8' }).trim().split('\n').length;
    assert.equal(count, 1000);
  });

  it('keeps the owner of a file it may give away (root), and the mode', { skip: typeof process.getuid !== 'function' || process.getuid() !== 0 ? 'needs root to chown' : false }, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, buildKubeconfig({ a: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } } }), 0o604);
    fs.chownSync(file, 4242, 4343);
    assert.equal(await runConvert(['--kubeconfig', file, '-l', 'azurecli'], captureIo({}, dir)), 0);
    const st = fs.statSync(file);
    assert.equal(st.uid, 4242);
    assert.equal(st.gid, 4343);
    assert.equal(st.mode & 0o777, 0o604);
    assert.equal((userOf(readYaml(file), 'a')?.exec as Record<string, unknown>).command, 'kubetray');
  });

  it('the kubetray binary runs convert-kubeconfig (dry run, then for real)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, buildKubeconfig({ a: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } } }));
    const main = path.join(__dirname, '..', '..', 'shared', 'cli', 'main.js');
    const diff = execFileSync(process.execPath, [main, 'convert-kubeconfig', '--kubeconfig', file, '-l', 'azurecli', '--dry-run'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(diff, /^--- .*config\n\+\+\+ /);
    assert.match(diff, /\n\+\s+command: kubetray\n/);
    execFileSync(process.execPath, [main, 'convert-kubeconfig', '--kubeconfig', file, '-l', 'azurecli'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const command = execFileSync('/usr/bin/kubectl', ['config', 'view', '-o', 'jsonpath={.users[0].user.exec.command}', '--kubeconfig', file], { encoding: 'utf8' });
    assert.equal(command, 'kubetray');
  });
});
