/**
 * Where KubeTray keeps its state. `KUBETRAY_HOME` relocates ALL of it (cache, settings, socket,
 * secret, logs); the default is the user's per-platform state directory.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export interface KubeTrayPaths {
  home: string;
  /** The headless broker's cache (`kubetray serve`, in-process get-token), sealed with a key file. */
  cacheDir: string;
  /**
   * The tray's cache, sealed with the OS key store. Kept apart from `cacheDir`: a process that
   * cannot open the other's seal would set its files aside as corrupt and sign everyone out.
   * Inside `cacheDir`, so `kubetray remove-cache-dir` removes it too.
   */
  trayCacheDir: string;
  logsDir: string;
  runDir: string;
  secretFile: string;
  settingsFile: string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.KUBETRAY_HOME;
  if (explicit && explicit.trim() !== '') return path.resolve(explicit);
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.join(home, 'AppData', 'Local');
    return path.join(local, 'KubeTray');
  }
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'KubeTray');
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, 'kubetray');
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): KubeTrayPaths {
  const home = resolveHome(env, platform);
  return {
    home,
    cacheDir: path.join(home, 'cache'),
    trayCacheDir: path.join(home, 'cache', 'tray'),
    logsDir: path.join(home, 'logs'),
    runDir: path.join(home, 'run'),
    secretFile: path.join(home, 'pipe-secret'),
    settingsFile: path.join(home, 'settings.json'),
  };
}
