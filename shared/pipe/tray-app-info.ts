/**
 * `$KUBETRAY_HOME/run/app.json`: how to start the installed tray app. The tray writes it when it
 * starts; `kubetray get-token` reads it when no broker answers, starts the tray and waits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TRAY_APP_FILE = 'app.json';

export interface TrayAppInfo {
  /** Absolute path of the tray executable. */
  executable: string;
  args?: string[];
  /** Optional extra environment for the launch (e.g. ELECTRON_* switches). */
  env?: Record<string, string>;
}

export function trayAppFile(runDir: string): string {
  return path.join(runDir, TRAY_APP_FILE);
}

/** Writes app.json atomically (temp file + rename), mode 0600. For the tray. */
export function writeTrayAppInfo(runDir: string, info: TrayAppInfo): void {
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const file = trayAppFile(runDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Reads app.json; undefined when absent, malformed, or the executable is gone. */
export function readTrayAppInfo(runDir: string): TrayAppInfo | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(trayAppFile(runDir), 'utf8'));
  } catch {
    return undefined;
  }
  const v = parsed as Partial<TrayAppInfo>;
  if (typeof v !== 'object' || v === null || typeof v.executable !== 'string' || !path.isAbsolute(v.executable)) return undefined;
  if (v.args !== undefined && !(Array.isArray(v.args) && v.args.every((a) => typeof a === 'string'))) return undefined;
  if (!fs.existsSync(v.executable)) return undefined;
  const info: TrayAppInfo = { executable: v.executable };
  if (v.args) info.args = v.args;
  if (v.env && typeof v.env === 'object') {
    info.env = Object.fromEntries(Object.entries(v.env).filter(([, val]) => typeof val === 'string')) as Record<string, string>;
  }
  return info;
}
