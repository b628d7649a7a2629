/**
 * The README's "run it" command, exercised: `npm run demo` (here with --auto-approve and a temp
 * home) brings up the local tenant, the Kubernetes API and the broker; real kubectl signs in once
 * and is then served from the broker; Ctrl-C stops everything and removes the socket.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);
const demoScript = path.join(__dirname, 'demo.js');

/** kubectl only says `interactive: true` to exec plugins when stdin is a terminal: give it one. */
async function kubectlInPty(kubeconfig: string, args: string): Promise<string> {
  const { stdout } = await run('script', ['-qec', `kubectl --kubeconfig ${kubeconfig} ${args}`, '/dev/null'], { timeout: 30_000 });
  return stdout;
}

test('npm run demo: kubectl signs in once through the broker, then Ctrl-C stops cleanly', { timeout: 90_000 }, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-demo-'));
  const demo = spawn(process.execPath, [demoScript, '--auto-approve', '--home', home, '--entra-port', '0', '--kube-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  demo.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    const kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      demo.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /READY KUBECONFIG=(.+)\n/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      demo.once('exit', (code) => reject(new Error(`demo exited early (${code}): ${stderr}`)));
    });
    assert.ok(fs.existsSync(kubeconfig));

    const first = await kubectlInPty(kubeconfig, 'get namespaces');
    assert.match(first, /enter the code [A-Z0-9]+/, 'the device code message reaches the terminal');
    assert.match(first, /kubetray-demo\s+Active/);

    const whoami = await kubectlInPty(kubeconfig, 'auth whoami');
    assert.match(whoami, /demo@kubetray\.dev/);
    assert.doesNotMatch(whoami, /enter the code/, 'second call is served without a new sign-in');

    // Without a terminal too: the broker answers from memory, no sign-in needed.
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespaces'], { timeout: 30_000 });
    assert.match(stdout, /kube-system/);

    const socket = path.join(home, 'run', 'kubetray.sock');
    assert.ok(fs.existsSync(socket), 'broker socket exists while running');
    const exited = once(demo, 'exit');
    demo.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.ok(!fs.existsSync(socket), 'socket removed on stop');
    assert.match(stderr, /demo: stopped\./);
  } finally {
    if (demo.exitCode === null) demo.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  }
});
