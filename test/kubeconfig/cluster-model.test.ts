/**
 * The cluster model: kubectl's merge rules over real files, every kind of credentials, no
 * secret ever in the model, and 1,000 contexts read correctly (speed is in the benchmark).
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readClusterModel } from '../../shared/kubeconfig/cluster-model.js';
import { resolveKubeconfigPaths } from '../../shared/kubeconfig/kubeconfig-files.js';
import { bigKubeconfig, buildKubeconfig, makeTempDir, removeDir, writeYaml } from '../support/kubeconfig-fixtures.js';
import { parseExecArgs } from '../../shared/kubeconfig/user-auth.js';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));
function tempDir(): string {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}

const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';
const SECRET = 'very-secret-client-secret';
const PASSWORD = 'hunter2-password';
const TOKEN = 'static-bearer-token-value';

describe('cluster model', () => {
  it('resolves files like kubectl: --kubeconfig, then KUBECONFIG (deduplicated), then ~/.kube/config', () => {
    assert.deepEqual(resolveKubeconfigPaths({ explicit: 'k.yaml', env: { KUBECONFIG: '/x' }, cwd: '/w', platform: 'linux' }), { files: ['/w/k.yaml'], explicit: true });
    assert.deepEqual(resolveKubeconfigPaths({ env: { KUBECONFIG: '/a::b:/a' }, cwd: '/w', platform: 'linux' }).files, ['/a', '/w/b']);
    assert.deepEqual(resolveKubeconfigPaths({ env: { HOME: '/home/me' }, cwd: '/w', platform: 'linux' }).files, ['/home/me/.kube/config']);
    assert.deepEqual(resolveKubeconfigPaths({ env: { KUBECONFIG: 'C:\\k\\a;C:\\k\\b' }, cwd: 'C:\\w', platform: 'win32' }).files, ['C:\\k\\a', 'C:\\k\\b']);
    assert.deepEqual(resolveKubeconfigPaths({ env: { USERPROFILE: 'C:\\Users\\me' }, cwd: 'C:\\w', platform: 'win32' }).files, ['C:\\Users\\me\\.kube\\config']);
  });

  it('merges with first-wins, first current-context, and agrees with kubectl', () => {
    const dir = tempDir();
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    const docA = buildKubeconfig({ one: { raw: { token: TOKEN } }, shared: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } } }, '');
    const docB = buildKubeconfig({ two: { raw: {} }, shared: { raw: { token: TOKEN } } }, 'two');
    (docB.contexts as Array<{ context: Record<string, string> }>)[0]!.context.namespace = 'team-b';
    writeYaml(a, docA);
    writeYaml(b, docB);
    const env = { KUBECONFIG: [a, path.join(dir, 'missing'), b].join(path.delimiter) };
    const model = readClusterModel({ env, cwd: dir });
    assert.deepEqual(model.files, [a, path.join(dir, 'missing'), b]);
    assert.deepEqual(model.missingFiles, [path.join(dir, 'missing')]);
    assert.equal(model.currentContext, 'two');
    assert.deepEqual(model.contexts.map((c) => c.name), ['one', 'shared', 'two']);
    const shared = model.contexts.find((c) => c.name === 'shared');
    assert.equal(shared?.sourceFile, a);
    assert.equal(shared?.auth.kind, 'azure-exec');
    assert.equal(shared?.server, 'https://shared.example.test:443');
    const two = model.contexts.find((c) => c.name === 'two');
    assert.equal(two?.current, true);
    assert.equal(two?.namespace, 'team-b');
    assert.equal(two?.sourceFile, b);
    const kubectl = execFileSync('/usr/bin/kubectl', ['config', 'view', '-o', 'jsonpath={.current-context} {.contexts[*].name}'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(kubectl, `two ${model.contexts.map((c) => c.name).join(' ')}`);
  });

  it('describes every kind of credentials without copying a secret', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(
      file,
      buildKubeconfig({
        kl: { exec: { command: '/usr/local/bin/kubelogin', args: ['get-token', '--login', 'spn', '--server-id', SERVER, '--client-id', 'cid', '-t', 'tid', '--environment', 'AzureChinaCloud', '--client-secret', SECRET, '--pop-enabled', '--pop-claims', 'u=/subscriptions/x'] } },
        kt: { exec: { command: 'kubetray', apiVersion: 'client.authentication.k8s.io/v1', args: ['get-token', '--login', 'ropc', '--server-id', SERVER, '--client-id', 'c', '--tenant-id', 't', '--username', 'u@x', '--password', PASSWORD] } },
        bad: { exec: { command: 'kubelogin', args: ['get-token', '--no-such-flag', '--server-id'] } },
        aws: { exec: { command: 'aws', args: ['eks', 'get-token'] } },
        azure: { authProvider: { name: 'azure', config: { 'apiserver-id': SERVER, 'client-id': 'c', 'tenant-id': 't', 'config-mode': '1', 'access-token': TOKEN } } },
        oidc: { authProvider: { name: 'oidc', config: { 'idp-issuer-url': 'https://issuer.example', 'client-id': 'k8s', 'refresh-token': TOKEN } } },
        gcp: { authProvider: { name: 'gcp' } },
        certData: { raw: { 'client-certificate-data': 'LS0t', 'client-key-data': 'LS0t' } },
        certFile: { raw: { 'client-certificate': '/etc/k8s/me.crt', 'client-key': '/etc/k8s/me.key' } },
        token: { raw: { token: TOKEN } },
        tokenFile: { raw: { tokenFile: '/var/run/token' } },
        relative: { raw: { 'client-certificate': 'certs/me.crt' } },
        basic: { raw: { username: 'admin', password: PASSWORD } },
        none: { raw: {} },
      }),
    );
    const model = readClusterModel({ files: [file] });
    const auth = Object.fromEntries(model.contexts.map((c) => [c.name, c.auth]));
    assert.deepEqual(auth.kl, {
      kind: 'azure-exec',
      tool: 'kubelogin',
      command: '/usr/local/bin/kubelogin',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      login: 'spn',
      tenantId: 'tid',
      clientId: 'cid',
      serverId: SERVER,
      environment: 'AzureChinaCloud',
      popEnabled: true,
      popClaims: 'u=/subscriptions/x',
      request: { serverId: SERVER, clientId: 'cid', tenantId: 'tid', environment: 'AzureChinaCloud', popEnabled: true, popClaims: 'u=/subscriptions/x', login: 'spn' },
      secretInArgs: true,
    });
    assert.equal(auth.kt?.kind === 'azure-exec' && auth.kt.tool, 'kubetray');
    assert.equal(auth.kt?.kind === 'azure-exec' && auth.kt.request.username, 'u@x');
    assert.equal(auth.bad?.kind === 'azure-exec' && auth.bad.argErrors?.length, 2);
    assert.deepEqual(auth.aws, { kind: 'exec', command: 'aws', apiVersion: 'client.authentication.k8s.io/v1beta1' });
    assert.deepEqual(auth.azure, { kind: 'auth-provider-azure', tenantId: 't', clientId: 'c', serverId: SERVER, configMode: '1' });
    assert.deepEqual(auth.oidc, { kind: 'auth-provider-oidc', issuerUrl: 'https://issuer.example', clientId: 'k8s' });
    assert.deepEqual(auth.gcp, { kind: 'auth-provider', name: 'gcp' });
    assert.deepEqual(auth.certData, { kind: 'client-certificate', source: 'data' });
    assert.deepEqual(auth.certFile, { kind: 'client-certificate', source: 'file', file: '/etc/k8s/me.crt' });
    assert.deepEqual(auth.token, { kind: 'token', source: 'inline' });
    assert.deepEqual(auth.tokenFile, { kind: 'token', source: 'file', file: '/var/run/token' });
    assert.deepEqual(auth.relative, { kind: 'client-certificate', source: 'file', file: path.join(dir, 'certs', 'me.crt') }, 'relative to the kubeconfig, as kubectl reads it');
    assert.deepEqual(auth.basic, { kind: 'basic', username: 'admin' });
    assert.deepEqual(auth.none, { kind: 'none' });
    const convertible = model.contexts.filter((c) => c.convertible).map((c) => c.name);
    assert.deepEqual(convertible, ['kl', 'bad', 'azure']);
    assert.ok(model.contexts.find((c) => c.name === 'bad')?.problems.some((p) => p.includes('do not parse')));
    const json = JSON.stringify(model);
    for (const secret of [SECRET, PASSWORD, TOKEN, 'LS0t']) assert.ok(!json.includes(secret), `model leaks ${secret.slice(0, 4)}…`);
  });

  it('applies the exec stanza’s env entries as get-token will, unless overrides are disabled', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    const env = [
      { name: 'AZURE_CLIENT_ID', value: 'client-from-env' },
      { name: 'AZURE_TENANT_ID', value: 'tenant-from-env' },
      { name: 'AAD_SERVICE_PRINCIPAL_CLIENT_SECRET', value: SECRET },
      { name: 'KUBECACHEDIR', value: '/var/cache/kube' },
    ];
    const args = ['get-token', '--login', 'spn', '--server-id', SERVER, '--client-id', 'client-from-args', '--tenant-id', 'tenant-from-args'];
    writeYaml(file, buildKubeconfig({ withEnv: { exec: { command: 'kubetray', args, env } }, disabled: { exec: { command: 'kubetray', args: [...args, '--disable-environment-override'], env } } }));
    const model = readClusterModel({ files: [file] });
    const withEnv = model.contexts.find((c) => c.name === 'withEnv')?.auth;
    const disabled = model.contexts.find((c) => c.name === 'disabled')?.auth;
    assert.ok(withEnv?.kind === 'azure-exec' && disabled?.kind === 'azure-exec');
    assert.equal(withEnv.clientId, 'client-from-env');
    assert.equal(withEnv.tenantId, 'tenant-from-env');
    assert.equal(withEnv.request.cacheDir, '/var/cache/kube');
    assert.equal(withEnv.secretInArgs, true);
    assert.equal(disabled.clientId, 'client-from-args');
    assert.equal(disabled.tenantId, 'tenant-from-args');
    assert.equal(disabled.secretInArgs, false);
    assert.ok(!JSON.stringify(model).includes(SECRET));
  });

  it('reports broken files and dangling references but still models the rest', () => {
    const dir = tempDir();
    const good = path.join(dir, 'good');
    const broken = path.join(dir, 'broken');
    const doc = buildKubeconfig({ ok: { raw: {} } });
    (doc.contexts as unknown[]).push({ name: 'dangling', context: { cluster: 'nowhere', user: 'nobody' } });
    writeYaml(good, doc);
    fs.writeFileSync(broken, 'users: [\n');
    const model = readClusterModel({ files: [broken, good] });
    assert.equal(model.problems.length, 1);
    assert.equal(model.problems[0]?.code, 'kubeconfig/parse');
    assert.equal(model.problems[0]?.file, broken);
    const dangling = model.contexts.find((c) => c.name === 'dangling');
    assert.deepEqual(dangling?.problems, ["cluster 'nowhere' is not defined in any kubeconfig file", "user 'nobody' is not defined in any kubeconfig file"]);
    assert.equal(dangling?.server, '');
    assert.deepEqual(dangling?.auth, { kind: 'none' });
  });

  it('reads 1,000 contexts', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config');
    writeYaml(file, bigKubeconfig(1000));
    const model = readClusterModel({ files: [file] });
    assert.equal(model.contexts.length, 1000);
    assert.equal(model.contexts.filter((c) => c.convertible).length, 600);
    assert.equal(model.contexts.filter((c) => c.current).length, 1);
  });
});

describe('cluster model: args that do not parse', () => {
  it('says what is wrong without quoting a value it could not place (a secret after a misspelt flag)', () => {
    const parsed = parseExecArgs(['get-token', '--login', 'spn', '--client_secret', 'Misplaced-Secret-1', '-sShort-Secret-2', '--server-id', SERVER]);
    assert.ok(parsed.errors.length >= 3, parsed.errors.join(' | '));
    for (const e of parsed.errors) {
      assert.ok(!e.includes('Misplaced-Secret-1') && !e.includes('Short-Secret-2'), e);
    }
    assert.ok(parsed.errors.some((e) => e.includes('--client_secret')), 'the misspelt flag is still named');
    assert.ok(parsed.errors.some((e) => e.startsWith("unknown shorthand flag: '-s'")));
    assert.ok(parsed.errors.some((e) => e.startsWith('unexpected argument(s) (1, not shown)')));
  });
});
