/**
 * What a CLI command gets from the process, so commands are testable in-process.
 * stdout carries only machine output (the ExecCredential JSON, a diff); stderr is for people.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A command: argv after the command name; resolves to the process exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;
