/**
 * convert-kubeconfig beyond kubelogin: idempotence, untouched files, mode and backup, symlinks,
 * secrets, dry-run, env precedence, clear errors. Real files in temp dirs; real kubectl reads the
 * result.
 */
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runConvert } from '../../shared/kubeconfig/convert-command.js';
import { buildKubeconfig, captureIo, makeTempDir, readYaml, removeDir, userOf, writeYaml, type UserSpec } from '../support/kubeconfig-fixtures.js';

const dirs: string[] = [];
after(() => dirs.forEach(removeDir));

const SERVER = '6dae42f8-4368-4678-94ff-3960e28e3630';
const CLIENT = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';
const DC: UserSpec = { exec: { command: 'kubelogin', args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', 'tenant-a', '--login', 'devicecode'] } };

function setup(users: Record<string, UserSpec>, mode = 0o600): { dir: string; file: string } {
  const dir = makeTempDir();
  dirs.push(dir);
  const file = path.join(dir, 'config');
  writeYaml(file, buildKubeconfig(users), mode);
  return { dir, file };
}

async function convert(file: string, flags: string[] = [], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(env, path.dirname(file));
  const code = await runConvert(['--kubeconfig', file, ...flags], io);
  return { code, out: io.stdoutText(), err: io.stderrText() };
}

function argsOf(file: string, user: string): unknown {
  return (userOf(readYaml(file), user)?.exec as Record<string, unknown> | undefined)?.args;
}

describe('convert-kubeconfig: safety', () => {
  it('a second run changes nothing and does not touch the file', async () => {
    const { file } = setup({ a: DC });
    assert.equal((await convert(file)).code, 0);
    const text = fs.readFileSync(file, 'utf8');
    const inode = fs.statSync(file).ino;
    fs.rmSync(file + '.kubetray-backup');
    const second = await convert(file);
    assert.equal(second.code, 0);
    assert.match(second.err, /already up to date/);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.equal(fs.statSync(file).ino, inode, 'not even rewritten with the same bytes');
    assert.equal(fs.existsSync(file + '.kubetray-backup'), false);
  });

  it('keeps the file mode, keeps a backup of the previous version, and kubectl reads the result', async () => {
    const { file } = setup({ a: DC, b: { raw: { token: 'static-token-value' } } }, 0o640);
    const before = fs.readFileSync(file, 'utf8');
    assert.equal((await convert(file)).code, 0);
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.equal(fs.readFileSync(file + '.kubetray-backup', 'utf8'), before);
    assert.equal(fs.statSync(file + '.kubetray-backup').mode & 0o777, 0o640);
    const view = JSON.parse(execFileSync('/usr/bin/kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', file], { encoding: 'utf8' })) as {
      users: Array<{ name: string; user: { exec?: { command: string; args: string[] }; token?: string } }>;
    };
    const a = view.users.find((u) => u.name === 'a');
    assert.equal(a?.user.exec?.command, 'kubetray');
    assert.deepEqual(a?.user.exec?.args, ['get-token', '--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', 'tenant-a', '--environment', 'AzurePublicCloud']);
    assert.equal(view.users.find((u) => u.name === 'b')?.user.token, 'static-token-value');
  });

  it('keeps CRLF line ends and a byte-order mark', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, '\uFEFFapiVersion: v1\r\nkind: Config\r\nusers:\r\n- name: a\r\n  user:\r\n    exec:\r\n      command: kubelogin\r\n      args: [get-token, --login, azurecli, --server-id, x]\r\n');
    assert.equal((await convert(file, ['-l', 'azurecli'])).code, 0);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith('\uFEFFapiVersion: v1\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
    assert.equal((userOf(readYaml(file), 'a')?.exec as Record<string, unknown>).command, 'kubetray');
  });

  it('--no-backup writes no backup', async () => {
    const { file } = setup({ a: DC });
    assert.equal((await convert(file, ['--no-backup'])).code, 0);
    assert.equal(fs.existsSync(file + '.kubetray-backup'), false);
    assert.equal(userOf(readYaml(file), 'a')?.exec && (userOf(readYaml(file), 'a')?.exec as Record<string, unknown>).command, 'kubetray');
  });

  it('writes through a symlinked kubeconfig and leaves the link a link', async () => {
    const { dir, file } = setup({ a: DC });
    const link = path.join(dir, 'link-config');
    fs.symlinkSync(file, link);
    assert.equal((await convert(link)).code, 0);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal((userOf(readYaml(file), 'a')?.exec as Record<string, unknown>).command, 'kubetray');
  });

  it('re-targets users already on kubetray, and kubelogin under any path or case', async () => {
    const { file } = setup({
      ours: { exec: { command: '/opt/KubeTray/kubetray', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } },
      win: { exec: { command: 'C:\\tools\\KubeLogin.exe', args: ['get-token', '--login', 'azurecli', '--server-id', SERVER] } },
      other: { exec: { command: 'gke-gcloud-auth-plugin', args: [] } },
    });
    const res = await convert(file, ['-l', 'azurecli', '--exec-command', '/usr/local/bin/kubetray']);
    assert.equal(res.code, 0, res.err);
    const doc = readYaml(file);
    for (const name of ['ours', 'win']) {
      const exec = userOf(doc, name)?.exec as Record<string, unknown>;
      assert.equal(exec.command, '/usr/local/bin/kubetray');
      assert.deepEqual(exec.args, ['get-token', '--login', 'azurecli', '--server-id', SERVER]);
    }
    assert.equal((userOf(doc, 'other')?.exec as Record<string, unknown>).command, 'gke-gcloud-auth-plugin');
  });

  it('--exec-api-version v1 writes the v1 API with interactiveMode', async () => {
    const { file } = setup({ a: DC });
    assert.equal((await convert(file, ['--exec-api-version', 'v1'])).code, 0);
    const exec = userOf(readYaml(file), 'a')?.exec as Record<string, unknown>;
    assert.equal(exec.apiVersion, 'client.authentication.k8s.io/v1');
    assert.equal(exec.interactiveMode, 'IfAvailable');
  });

  it('reads old args the way get-token does (--flag=value, -t, -l) and keeps env entries', async () => {
    const { file } = setup({
      a: { exec: { command: 'kubelogin', args: ['get-token', '--server-id=' + SERVER, '--client-id', CLIENT, '-t', 'tenant-x', '-l', 'devicecode'], env: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }] } },
    });
    assert.equal((await convert(file, ['--azure-config-dir', '/home/me/.azure-work', '-l', 'azurecli'])).code, 0);
    const exec = userOf(readYaml(file), 'a')?.exec as Record<string, unknown>;
    assert.deepEqual(exec.args, ['get-token', '--login', 'azurecli', '--server-id', SERVER]);
    assert.deepEqual(exec.env, [
      { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
      { name: 'AZURE_CONFIG_DIR', value: '/home/me/.azure-work' },
    ]);
  });

  it('applies environment overrides after flags, as kubelogin convert does, unless disabled', async () => {
    const { file } = setup({ a: DC });
    const res = await convert(file, ['--tenant-id', 'from-flag', '-l', 'azurecli'], { AZURE_TENANT_ID: 'from-env' });
    assert.equal(res.code, 0, res.err);
    assert.deepEqual(argsOf(file, 'a'), ['get-token', '--login', 'azurecli', '--server-id', SERVER, '--tenant-id', 'from-env']);

    const second = setup({ a: DC });
    assert.equal((await convert(second.file, [], { AAD_LOGIN_METHOD: 'azurecli' })).code, 0);
    assert.deepEqual(argsOf(second.file, 'a'), ['get-token', '--login', 'azurecli', '--server-id', SERVER]);

    const third = setup({ a: DC });
    assert.equal((await convert(third.file, ['--disable-environment-override'], { AAD_LOGIN_METHOD: 'azurecli' })).code, 0);
    assert.deepEqual(argsOf(third.file, 'a'), ['get-token', '--login', 'devicecode', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', 'tenant-a', '--environment', 'AzurePublicCloud']);
  });

  it('warns when a secret is written into args, never prints it, and masks it in --dry-run', async () => {
    const secret = 'S3cr3t-Value-Do-Not-Print';
    const { file } = setup({ a: DC });
    const before = fs.readFileSync(file, 'utf8');
    const dry = await convert(file, ['-l', 'spn', '--client-secret', secret, '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'dry run writes nothing');
    assert.equal(fs.existsSync(file + '.kubetray-backup'), false);
    assert.match(dry.out, /^--- /);
    assert.match(dry.out, /\n\+\s+- --client-secret\n\+\s+- '\*\*\*\*\*\*\*\*'\n/);
    assert.match(dry.out, /\n-\s+command: kubelogin\n\+\s+command: kubetray\n/);
    assert.match(dry.err, /WARNING: --client-secret will be stored in plain text/);
    assert.ok(!dry.out.includes(secret) && !dry.err.includes(secret));

    const real = await convert(file, ['-l', 'spn', '--client-secret', secret]);
    assert.equal(real.code, 0);
    assert.ok(!real.err.includes(secret));
    assert.ok((argsOf(file, 'a') as string[]).includes(secret), 'the secret is written, as kubelogin does');
  });

  it('--dry-run masks secrets already in the old stanza: --flag=value, quoted flags, flow lists and exec env', async () => {
    const secrets = ['InlineSecret1', 'QuotedSecret2', 'EnvSecret3', 'FlowSecret4', 'FlowSecret5', 'FlowEnvSecret6', 'EnvSecret7'];
    const dir = makeTempDir();
    dirs.push(dir);
    const file = path.join(dir, 'config');
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- cluster: {server: https://a.example}',
      '  name: a',
      'contexts:',
      '- context: {cluster: a, user: a}',
      '  name: a',
      'current-context: a',
      'users:',
      '- name: a',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1beta1',
      '      args:',
      '      - get-token',
      `      - --server-id=${SERVER}`,
      `      - --client-id=${CLIENT}`,
      '      - --tenant-id=t1',
      '      - --login=spn',
      '      - --client-secret=InlineSecret1',
      '      - "--password"',
      '      - QuotedSecret2',
      '      command: kubelogin',
      '      env:',
      '      - name: AAD_SERVICE_PRINCIPAL_CLIENT_SECRET',
      '        value: EnvSecret3',
      '- name: b',
      '  user:',
      '    exec:',
      '      command: kubelogin',
      `      args: [get-token, --login, spn, --server-id, ${SERVER}, --client-id, c, --tenant-id, t, "--client-secret", FlowSecret4, --password=FlowSecret5]`,
      '      env:',
      '      - {name: AZURE_PASSWORD, value: FlowEnvSecret6}',
      '      - value: EnvSecret7',
      '        name: "AZURE_CLIENT_SECRET"',
      '      - name: NOT_A_SECRET',
      '        value: shown-as-is',
      '',
    ].join('\n');
    fs.writeFileSync(file, text, { mode: 0o600 });
    const dry = await convert(file, ['-l', 'spn', '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.equal(fs.readFileSync(file, 'utf8'), text, 'dry run writes nothing');
    assert.match(dry.out, /^--- /);
    for (const s of secrets) assert.ok(!dry.out.includes(s) && !dry.err.includes(s), `${s} is masked`);
    assert.match(dry.out, /--client-secret=\*{8}/);
    assert.match(dry.out, /shown-as-is/, 'other env values are not masked');

    // The same file written on Windows (CRLF line ends).
    fs.writeFileSync(file, text.replace(/\n/g, '\r\n'), { mode: 0o600 });
    const crlf = await convert(file, ['-l', 'spn', '--dry-run']);
    assert.equal(crlf.code, 0, crlf.err);
    for (const s of secrets) assert.ok(!crlf.out.includes(s), `${s} is masked in a CRLF file`);
  });

  it('--dry-run never prints the legacy azure auth-provider\'s tokens, nor a neighbouring user\'s credentials', async () => {
    const secrets = ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.QWNjZXNzVG9rZW4', 'Refresh-Token-Value-1', 'Static-Token-Value-2', 'Basic-Password-3'];
    const dir = makeTempDir();
    dirs.push(dir);
    const file = path.join(dir, 'config');
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- cluster: {server: https://a.example}',
      '  name: a',
      'contexts:',
      '- context: {cluster: a, user: a}',
      '  name: a',
      'current-context: a',
      'users:',
      '- name: a',
      '  user:',
      '    auth-provider:',
      '      config:',
      `        access-token: ${secrets[0]}`,
      `        apiserver-id: ${SERVER}`,
      `        client-id: ${CLIENT}`,
      '        config-mode: "1"',
      '        environment: AzurePublicCloud',
      `        refresh-token: ${secrets[1]}`,
      '        tenant-id: t1',
      '      name: azure',
      '- name: static',
      '  user:',
      `    token: ${secrets[2]}`,
      '- name: basic',
      '  user:',
      '    username: admin',
      `    "password": ${secrets[3]}`,
      '',
    ].join('\n');
    fs.writeFileSync(file, text, { mode: 0o600 });
    const dry = await convert(file, ['--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.equal(fs.readFileSync(file, 'utf8'), text, 'dry run writes nothing');
    assert.match(dry.out, /-\s+auth-provider:/, 'the removed stanza is in the diff');
    assert.match(dry.out, /-\s+refresh-token: '\*{8}'/);
    for (const s of secrets) assert.ok(!dry.out.includes(s) && !dry.err.includes(s), `${s} is masked`);
  });

  it('says what was dropped and when the login method changes', async () => {
    const { file } = setup({ a: DC });
    const res = await convert(file, ['-l', 'azurecli']);
    assert.match(res.err, /dropped .*--tenant-id/);
    assert.match(res.err, /pass --tenant-id to keep one/);
    const legacy = setup({ ap: { authProvider: { name: 'azure', config: { 'apiserver-id': SERVER, 'client-id': CLIENT, 'tenant-id': 't', environment: 'AzureChinaCloud' } } } });
    const res3 = await convert(legacy.file, ['-l', 'azurecli', '--timeout', '30s', '--environment', 'AzurePublicCloud']);
    assert.equal(res3.code, 0, res3.err);
    assert.match(res3.err, /converted azure auth-provider -> kubetray --login azurecli/);
    assert.match(res3.err, /dropped .*: --client-id, --tenant-id, --environment, --legacy /);
    assert.match(res3.err, /not written for --login azurecli: --environment\./);
    assert.deepEqual(argsOf(legacy.file, 'ap'), ['get-token', '--login', 'azurecli', '--server-id', SERVER, '--timeout', '30s']);
    const res2 = await convert(file, []);
    assert.equal(res2.code, 9, 'azurecli -> devicecode needs a client id the old args no longer have');
    assert.match(res2.err, /--client-id is required/);
  });

  it('keeps --authority-host, --disable-instance-discovery and --timeout, which kubelogin drops', async () => {
    const { file } = setup({
      a: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'spn', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', 't', '--authority-host', 'https://login.contoso-stack.example/', '--disable-instance-discovery', '--timeout', '2m'] } },
    });
    assert.equal((await convert(file, ['-l', 'spn'])).code, 0);
    assert.deepEqual(argsOf(file, 'a'), ['get-token', '--login', 'spn', '--server-id', SERVER, '--client-id', CLIENT, '--tenant-id', 't', '--authority-host', 'https://login.contoso-stack.example/', '--disable-instance-discovery', '--timeout', '2m']);
    assert.equal((await convert(file, ['-l', 'msi', '--timeout', '1500ms'])).code, 0, 'msi has no authority to keep');
    assert.deepEqual(argsOf(file, 'a'), ['get-token', '--login', 'msi', '--server-id', SERVER, '--timeout', '1500ms']);
  });

  it('refuses with kubelogin’s messages when a required value is missing, writing nothing', async () => {
    const { file } = setup({ a: { exec: { command: 'kubelogin', args: ['get-token', '--login', 'azurecli'] } } });
    const before = fs.readFileSync(file, 'utf8');
    const res = await convert(file, ['-l', 'azurecli']);
    assert.equal(res.code, 9);
    assert.match(res.err, /--server-id is required \(user "a"\)/);
    const res2 = await convert(file, ['--server-id', SERVER, '--client-id', CLIENT]);
    assert.match(res2.err, /--tenant-id is required/);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });

  it('usage errors exit 2 with a hint', async () => {
    const { file } = setup({ a: DC });
    for (const flags of [['--no-such-flag'], ['--exec-api-version', 'v2'], ['-l', 'DeviceCode'], ['--authority-host', 'https://login.example'], ['--pop-enabled']]) {
      const res = await convert(file, flags);
      assert.equal(res.code, 2, `${flags.join(' ')}: ${res.code}`);
      assert.match(res.err, /kubetray convert-kubeconfig: /);
    }
    assert.equal((await convert(file, ['--no-such-flag'])).code, 2);
    const positional = await convert(file, ['stray']);
    assert.equal(positional.code, 2);
    assert.match(positional.err, /convert-kubeconfig takes only flags/);
  });

  it('clear errors: missing file, unparsable YAML with its line, duplicate keys, duplicate user names', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const missing = await convert(path.join(dir, 'nope'));
    assert.equal(missing.code, 9);
    assert.match(missing.err, /No kubeconfig found/);

    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'apiVersion: v1\nusers:\n- name: a\n  user: {exec: [\n');
    const parse = await convert(bad);
    assert.equal(parse.code, 9);
    assert.match(parse.err, /Cannot read kubeconfig .*bad: .* at line \d+/);

    const dup = path.join(dir, 'dup');
    fs.writeFileSync(dup, 'apiVersion: v1\nkind: Config\nkind: Config\n');
    const dupRes = await convert(dup);
    assert.match(dupRes.err, /a key appears twice in the same mapping at line 3/);

    const dupUser = path.join(dir, 'dup-user');
    const doc = buildKubeconfig({ a: DC });
    (doc.users as unknown[]).push((doc.users as unknown[])[0]);
    writeYaml(dupUser, doc);
    const dupUserRes = await convert(dupUser);
    assert.equal(dupUserRes.code, 9);
    assert.match(dupUserRes.err, /defines 'a' twice/);
  });
});
