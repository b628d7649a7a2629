/**
 * MOCKS of programs that cannot be installed here: `fake-az-cli` (named `az`) and `fake-azd`
 * (named `azd`). Each is a small Node script put first on PATH that records its argv and the
 * environment variables that matter (AZURE_CONFIG_DIR) to a JSON-lines file and prints what the
 * real CLI prints, as decided by a scenario file the test writes:
 *
 *   { "exitCode": 0, "stdout": "...", "stderr": "...", "hang": false }
 *   or { "mintFrom": { tokenUrl, clientId, username, password, scopeSuffix } } — the fake then
 *   gets a real token from the Entra ID emulator (password grant over HTTPS trusting caFile, as the
 *   real CLI's cached sign-in would by refresh) and prints it in the real CLI's JSON shape.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface FakeCliScenario {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** Never exit (for --timeout tests); the caller kills it. */
  hang?: boolean;
  /** Also start a grandchild whose command line carries this marker (process-tree kill tests). */
  spawnGrandchild?: string;
  mintFrom?: { tokenUrl: string; clientId: string; username: string; password: string; caFile: string };
}

export interface FakeCliCall {
  tool: 'az' | 'azd';
  argv: string[];
  azureConfigDir: string | null;
}

export interface FakeCli {
  /** Directory to put first on PATH. */
  binDir: string;
  /** PATH value with binDir first. */
  path: string;
  setScenario(tool: 'az' | 'azd', scenario: FakeCliScenario): void;
  calls(): FakeCliCall[];
  dispose(): void;
}

const SCRIPT = (tool: 'az' | 'azd', dir: string): string => `#!${process.execPath}
// ${tool === 'az' ? 'fake-az-cli' : 'fake-azd'}: a test MOCK of the ${tool === 'az' ? 'Azure CLI' : 'Azure Developer CLI'} (it cannot be installed here).
const fs = require('node:fs');
const path = require('node:path');
const dir = ${JSON.stringify(dir)};
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ tool: ${JSON.stringify(tool)}, argv: process.argv.slice(2), azureConfigDir: process.env.AZURE_CONFIG_DIR ?? null }) + '\\n');
const s = JSON.parse(fs.readFileSync(path.join(dir, ${JSON.stringify(tool)} + '.scenario.json'), 'utf8'));
if (s.spawnGrandchild) { require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)', s.spawnGrandchild], { stdio: 'ignore' }); }
if (s.hang) { setInterval(() => {}, 1 << 30); return; }
function arg(name) { const i = process.argv.indexOf(name); return i < 0 ? undefined : process.argv[i + 1]; }
async function main() {
  if (s.mintFrom) {
    const scope = ${tool === 'az' ? "arg('--resource') + '/.default'" : "arg('--scope')"};
    const body = new URLSearchParams({ grant_type: 'password', client_id: s.mintFrom.clientId, username: s.mintFrom.username, password: s.mintFrom.password, scope }).toString();
    const https = require('node:https');
    const { status, json } = await new Promise((resolve, reject) => {
      const req = https.request(s.mintFrom.tokenUrl, { method: 'POST', ca: fs.readFileSync(s.mintFrom.caFile), headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(body);
    });
    if (status !== 200) { process.stderr.write('ERROR: AADSTS' + (json.error_codes || [''])[0] + ': ' + json.error + '\\n'); process.exit(1); }
    const exp = Math.floor(Date.now() / 1000) + Number(json.expires_in);
    ${
      tool === 'az'
        ? `const d = new Date(exp * 1000); const p = (n) => String(n).padStart(2, '0');
    const local = d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()) + '.000000';
    process.stdout.write(JSON.stringify({ accessToken: json.access_token, expiresOn: local, expires_on: exp, subscription: '00000000-0000-0000-0000-000000000000', tenant: arg('--tenant') || 'common', tokenType: 'Bearer' }, null, 2) + '\\n');`
        : `process.stdout.write(JSON.stringify({ token: json.access_token, expiresOn: new Date(exp * 1000).toISOString().replace(/\\.\\d+Z$/, 'Z') }) + '\\n');`
    }
    return;
  }
  if (s.stdout) process.stdout.write(s.stdout);
  if (s.stderr) process.stderr.write(s.stderr);
  process.exit(s.exitCode ?? 0);
}
main().catch((e) => { process.stderr.write('ERROR: ' + e.message + '\\n'); process.exit(1); });
`;

export function createFakeCli(): FakeCli {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubetray-fake-cli-'));
  for (const tool of ['az', 'azd'] as const) {
    fs.writeFileSync(path.join(dir, tool), SCRIPT(tool, dir), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, `${tool}.scenario.json`), JSON.stringify({ exitCode: 1, stderr: `ERROR: no scenario for ${tool}\n` }));
  }
  return {
    binDir: dir,
    path: `${dir}${path.delimiter}${process.env.PATH ?? ''}`,
    setScenario(tool, scenario) {
      fs.writeFileSync(path.join(dir, `${tool}.scenario.json`), JSON.stringify(scenario));
    },
    calls() {
      const file = path.join(dir, 'calls.jsonl');
      if (!fs.existsSync(file)) return [];
      return fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as FakeCliCall);
    },
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An unsigned JWT-shaped token with the given claims (for parsing tests only). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.c2ln`;
}
