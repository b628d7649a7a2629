import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSystemBrowserWindow, escapeForCmd, resolveBrowserCommands } from './system-browser-window.js';

const URL_WITH_METACHARACTERS = 'https://login.example/t/oauth2/v2.0/authorize?a=1&b=$(touch /tmp/kubetray-pwned)&c=`id`;echo "x"|y%20z';

test('platform defaults and $BROWSER (with and without %s, several entries)', () => {
  const url = 'https://login.example/x?a=1&b=2';
  assert.deepEqual(resolveBrowserCommands(url, {}, 'linux'), [{ command: 'xdg-open', args: [url] }]);
  assert.deepEqual(resolveBrowserCommands(url, {}, 'darwin'), [{ command: 'open', args: [url] }]);
  assert.deepEqual(resolveBrowserCommands(url, { BROWSER: 'firefox --new-window %s:w3m' }, 'linux').slice(0, 2), [
    { command: 'firefox', args: ['--new-window', url] },
    { command: 'w3m', args: [url] },
  ]);
  const win = resolveBrowserCommands(url, {}, 'win32')[0]!;
  assert.equal(win.command, 'cmd');
  assert.equal(win.windowsVerbatimArguments, true);
  assert.ok(win.args.at(-1)!.endsWith('a=1^&b=2'));
});

test('cmd metacharacters are escaped for `start`', () => {
  assert.equal(escapeForCmd('a&b|c<d>e^f(g)h%i!j"k'), 'a^&b^|c^<d^>e^^f^(g^)h^%i^!j^"k');
});

test('the URL reaches $BROWSER as one argument, never through a shell', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-browser-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'argv.json');
  const script = path.join(dir, 'fake-browser.js');
  fs.writeFileSync(script, `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));`);
  const children: ChildProcess[] = [];
  const window = createSystemBrowserWindow({
    env: { BROWSER: `${process.execPath} ${script}` },
    platform: 'linux',
    spawn: ((cmd: string, args: string[], opts: object) => {
      const child = spawn(cmd, args, opts);
      children.push(child);
      return child;
    }) as typeof spawn,
  });
  await window.open(URL_WITH_METACHARACTERS, { signal: new AbortController().signal, onClosedByUser: () => undefined });
  // The window unrefs the browser process (it must not keep KubeTray alive); the test waits for it.
  const child = children[0]!;
  child.ref();
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')), [URL_WITH_METACHARACTERS]);
  assert.equal(fs.existsSync('/tmp/kubetray-pwned'), false);
});

test('no browser at all: a clear error that suggests device code', async () => {
  const window = createSystemBrowserWindow({ env: { BROWSER: '/nonexistent/browser-a:/nonexistent/browser-b' }, platform: 'linux', spawn: ((cmd: string, args: string[], opts: object) => spawn(cmd === 'xdg-open' ? '/nonexistent/xdg-open' : cmd, args, opts)) as typeof spawn });
  await assert.rejects(window.open('https://login.example/x', { signal: new AbortController().signal, onClosedByUser: () => undefined }), (e: unknown) => {
    assert.equal((e as { code?: string }).code, 'auth/failed');
    assert.match((e as Error).message, /devicecode/);
    assert.match((e as Error).message, /ENOENT/);
    return true;
  });
});
