#!/usr/bin/env node
/**
 * `kubetray`: the exec credential client and its companions. Every command is loaded lazily so
 * `get-token` (run by kubectl on every call) loads only what it needs. Exit codes: exit-codes.ts.
 */
import { processIo, type CliCommand, type CliIo } from './cli-io.js';

const HELP = `Usage: kubetray <command> [flags]

Commands:
  get-token           Print an ExecCredential for kubectl (Azure kubelogin get-token flags)
  convert-kubeconfig  Rewrite kubeconfig users to run kubetray get-token
  serve               Run the KubeTray broker in the foreground, without the tray
  status              Show the running broker and its sign-ins
  sign-out            Forget the tokens of one session, or of all
  remove-tokens       Remove cached tokens
  remove-cache-dir    Remove the token cache directory

Flags:
  -h, --help          Help for kubetray, or for a command: kubetray <command> --help
      --version       Print the version

Environment:
  KUBETRAY_HOME       Where KubeTray keeps its state (cache, logs, socket, secret)
  KUBETRAY_BROKER     auto (default): use the tray, start it, else sign in here; off: always
                      sign in here; only: never sign in here
  KUBETRAY_CA_FILE    Extra CA certificates (PEM) to trust for Entra ID endpoints
  KUBETRAY_LOG_LEVEL  debug, info (default), warn, error
`;

type Loader = () => Promise<CliCommand | undefined>;

/** Loads an optional module by a computed path (it may not be part of every build). */
async function optional(specifier: string, exportName: string): Promise<CliCommand | undefined> {
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    const fn = mod[exportName];
    return typeof fn === 'function' ? (fn as CliCommand) : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only the module itself missing means "not in this build"; a broken module is a bug to show.
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(specifier.replace(/^\.\.?\//, ''))) return undefined;
    throw error;
  }
}

export const COMMANDS: Readonly<Record<string, Loader>> = {
  // The hot path uses require(): a dynamic import() goes through Node's ESM loader (module
  // lexer, module jobs), which costs kubectl more than every other module of get-token together.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'get-token': async () => (require('./commands/get-token.js') as typeof import('./commands/get-token.js')).runGetToken,
  serve: async () => (await import('./commands/serve.js')).runServe,
  status: async () => (await import('./commands/status.js')).runStatus,
  'sign-out': async () => (await import('./commands/status.js')).runSignOut,
  'convert-kubeconfig': () => optional('../kubeconfig/convert-command.js', 'runConvertKubeconfig'),
  'remove-tokens': () => optional('./commands/remove-tokens.js', 'runRemoveTokens'),
  'remove-cache-dir': () => optional('./commands/remove-cache-dir.js', 'runRemoveCacheDir'),
};

/** Runs the CLI with `argv` (after the node and script paths). Resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) return runCli([topic, '--help'], io);
    io.stdout(HELP);
    return 0;
  }
  if (command === '--version' || command === 'version') {
    const { kubetrayVersion } = await import('./version.js');
    io.stdout(`kubetray ${kubetrayVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.stderr(`kubetray: unknown command "${command}". Run 'kubetray --help' for the list.\n`);
    return 2;
  }
  const run = await load();
  if (!run) {
    io.stderr(`kubetray: the ${command} command is not part of this build of kubetray: install the full KubeTray release.\n`);
    return 1;
  }
  return run(rest, io);
}

async function main(): Promise<void> {
  let code: number;
  try {
    code = await runCli(process.argv.slice(2), processIo());
  } catch (error) {
    const { redactText } = await import('../core/redact.js');
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`kubetray: unexpected error: ${redactText(message)}\nkubetray: please report it with the log from KUBETRAY_HOME/logs.\n`);
    code = 1;
  }
  // Exit once stdout is flushed: stray handles (keep-alive sockets, timers) must not keep
  // kubectl waiting after the credential was printed.
  process.stdout.write('', () => process.exit(code));
}

if (require.main === module) void main();
