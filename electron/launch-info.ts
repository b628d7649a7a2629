/**
 * $KUBETRAY_HOME/run/app.json: how to start the tray. The `kubetray` client reads it when the
 * tray is installed but not running, starts it, and waits for the pipe. Plain node:fs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AppLaunchInfo {
  /** Absolute path of the program to run (the packaged app, or electron in development). */
  executable: string;
  /** Arguments, e.g. the app folder in development and `--hidden` (start in the tray only). */
  args: string[];
  /** Process that wrote the file (for diagnostics only). */
  pid: number;
  version: string;
}

export const APP_JSON = 'app.json';

export function buildAppLaunchInfo(input: {
  execPath: string;
  isPackaged: boolean;
  appPath: string;
  pid: number;
  version: string;
  /** $APPIMAGE: the AppImage file, when the app runs from one. */
  appImage?: string | undefined;
}): AppLaunchInfo {
  // Packaged: the executable is the app. Development: electron needs the app folder.
  const args = input.isPackaged ? ['--hidden'] : [input.appPath, '--hidden'];
  // An AppImage runs from a temporary mount that is gone once the app quits: start the file.
  const executable = input.isPackaged && input.appImage && path.isAbsolute(input.appImage) ? input.appImage : input.execPath;
  return { executable, args, pid: input.pid, version: input.version };
}

export function writeAppLaunchInfo(runDir: string, info: AppLaunchInfo): string {
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const file = path.join(runDir, APP_JSON);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}

export function readAppLaunchInfo(runDir: string): AppLaunchInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(runDir, APP_JSON), 'utf8')) as Partial<AppLaunchInfo>;
    if (typeof parsed.executable !== 'string' || !Array.isArray(parsed.args)) return undefined;
    return { executable: parsed.executable, args: parsed.args.map(String), pid: Number(parsed.pid ?? 0), version: String(parsed.version ?? '') };
  } catch {
    return undefined;
  }
}

/** `--hidden` on the command line: started at login or by the CLI, so stay in the tray. */
export function wantsHiddenStart(argv: readonly string[]): boolean {
  return argv.includes('--hidden');
}
