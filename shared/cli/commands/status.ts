/** `kubetray status` and `kubetray sign-out`: ask the running broker. */
import { resolvePaths } from '../../node/paths.js';
import { pipeCall } from '../../pipe/pipe-client.js';
import type { CliIo } from '../cli-io.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { kubetrayVersion } from '../version.js';

/** status and sign-out are quick: a broker that accepted but never answers must not hang us. */
const QUICK_REPLY_MS = 15_000;

export async function runStatus(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stderr('Usage: kubetray status [--json]\n\nShows whether a KubeTray broker is running for this KUBETRAY_HOME, and its sign-ins.\n');
    return EXIT.OK;
  }
  const json = argv.includes('--json');
  const result = await pipeCall({ type: 'status' }, { paths: resolvePaths(io.env), replyTimeoutMs: QUICK_REPLY_MS });
  if (!result.ok) {
    if (json) io.stdout(JSON.stringify({ running: false, client: kubetrayVersion(), error: result.error }) + '\n');
    io.stderr(`kubetray: ${result.error.message}\nkubetray: start the KubeTray app, or run 'kubetray serve'.\n`);
    return exitCodeFor(result.error.code);
  }
  const s = result.value;
  if (json) {
    io.stdout(JSON.stringify({ running: true, client: kubetrayVersion(), broker: s }) + '\n');
    return EXIT.OK;
  }
  const lines = [
    `KubeTray ${s.appVersion} (${s.host}) pid ${s.pid}, up since ${new Date(s.startedAt).toISOString()}, protocol ${s.protocolVersion}; kubetray ${kubetrayVersion()}`,
  ];
  if (s.sessions.length === 0) lines.push('No sign-ins yet.');
  for (const x of s.sessions) {
    const until = x.expiresOn ? ` valid until ${new Date(x.expiresOn).toISOString()}` : '';
    lines.push(`  ${x.state.padEnd(13)} ${x.login.padEnd(16)} ${x.account?.username ?? '-'} server ${x.serverId}${x.tenantId ? ` tenant ${x.tenantId}` : ''}${until}${x.error ? ` (${x.error})` : ''}`);
  }
  io.stdout(lines.join('\n') + '\n');
  return EXIT.OK;
}

export async function runSignOut(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stderr('Usage: kubetray sign-out [session-key]\n\nForgets the tokens of one session (see kubetray status --json), or of all sessions.\n');
    return EXIT.OK;
  }
  if (argv.length > 1 || argv.some((a) => a.startsWith('-'))) {
    io.stderr('kubetray sign-out: takes at most one session key.\n');
    return EXIT.USAGE;
  }
  const key = argv[0];
  const result = await pipeCall(key === undefined ? { type: 'sign-out' } : { type: 'sign-out', key }, { paths: resolvePaths(io.env), replyTimeoutMs: QUICK_REPLY_MS });
  if (!result.ok) {
    io.stderr(`kubetray: ${result.error.message}\n`);
    return exitCodeFor(result.error.code);
  }
  io.stderr(key === undefined ? 'kubetray: signed out of every session.\n' : `kubetray: signed out of ${key}.\n`);
  return EXIT.OK;
}
