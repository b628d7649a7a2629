/**
 * Start at login on Linux: an XDG autostart entry (Desktop Application Autostart
 * Specification: $XDG_CONFIG_HOME/autostart/<name>.desktop). macOS and Windows use
 * app.setLoginItemSettings instead (electron/login-item.ts).
 *
 * The builder is pure; the writer is plain node:fs (no electron), so both are tested here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const AUTOSTART_FILE = 'kubetray.desktop';

/**
 * Quotes one argument of an Exec line (Desktop Entry Specification, "The Exec key"): arguments
 * with reserved characters go in double quotes with `"`, `` ` ``, `$` and `\` escaped; a
 * literal `%` is written `%%`. The whole value is then escaped as a string value (`\` -> `\\`).
 */
export function quoteExecArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  const reserved = /[\s"'\\><~|&;$*?#()`]/;
  const quoted = reserved.test(percent) ? `"${percent.replace(/(["`$\\])/g, '\\$1')}"` : percent;
  return quoted.replace(/\\/g, '\\\\');
}

export function buildAutostartDesktopEntry(input: { executable: string; args?: readonly string[]; hidden?: boolean }): string {
  if (!path.isAbsolute(input.executable)) throw new Error('The autostart entry needs an absolute executable path.');
  if (/[\r\n]/.test(input.executable) || (input.args ?? []).some((a) => /[\r\n]/.test(a))) {
    throw new Error('The autostart command may not contain line breaks.');
  }
  const exec = [input.executable, ...(input.args ?? [])].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=KubeTray',
    'Comment=Sign in to Kubernetes clusters with Microsoft Entra ID',
    `Exec=${exec}`,
    'Icon=kubetray',
    'Terminal=false',
    'Categories=Development;Utility;',
    'X-GNOME-Autostart-enabled=true',
    // Hidden=true is how the spec says "the user turned this off" without deleting the file.
    `Hidden=${input.hidden ? 'true' : 'false'}`,
    '',
  ].join('\n');
}

export function resolveAutostartDir(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'autostart');
}

/** Turns the Linux autostart entry on (writes it) or off (removes it). Atomic write. */
export function writeAutostartEntry(dir: string, enabled: boolean, input: { executable: string; args?: readonly string[] }): string {
  const file = path.join(dir, AUTOSTART_FILE);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, buildAutostartDesktopEntry(input), { mode: 0o644 });
  fs.renameSync(tmp, file);
  return file;
}

export function isAutostartEnabled(dir: string): boolean {
  try {
    const text = fs.readFileSync(path.join(dir, AUTOSTART_FILE), 'utf8');
    return !/^Hidden=true$/m.test(text);
  } catch {
    return false;
  }
}
