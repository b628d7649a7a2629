/**
 * Exit codes of the `kubetray` CLI. Stable: scripts and CI may branch on them.
 *
 * | code | name              | meaning                                                                 |
 * |------|-------------------|-------------------------------------------------------------------------|
 * | 0    | OK                | success (get-token printed one ExecCredential on stdout)                |
 * | 1    | FAILURE           | unexpected error (a bug: see the log under $KUBETRAY_HOME/logs)         |
 * | 2    | USAGE             | bad flags, bad environment values, unsupported KUBERNETES_EXEC_INFO     |
 * | 3    | SIGN_IN_REQUIRED  | a person must sign in (non-interactive caller) or cancelled the sign-in  |
 * | 4    | AUTH_FAILED       | Entra ID refused: bad client/secret/grant, Conditional Access, revoked  |
 * | 5    | BROKER            | the tray / `kubetray serve` could not be reached or spoke another version |
 * | 6    | TIMEOUT           | --timeout elapsed                                                       |
 * | 7    | NETWORK           | Entra ID or the identity endpoint could not be reached                  |
 * | 8    | LOCAL_STATE       | token cache, lock or secret storage problem                             |
 * | 9    | KUBECONFIG        | kubeconfig missing, unreadable, invalid or not writable                  |
 * | 130  | INTERRUPTED       | Ctrl-C (SIGINT)                                                          |
 */
import type { AppErrorCode } from '../core/app-error.js';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  SIGN_IN_REQUIRED: 3,
  AUTH_FAILED: 4,
  BROKER: 5,
  TIMEOUT: 6,
  NETWORK: 7,
  LOCAL_STATE: 8,
  KUBECONFIG: 9,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** One table from error code to exit code; unknown codes (from a newer broker) by prefix. */
export function exitCodeFor(code: AppErrorCode | string): ExitCode {
  switch (code) {
    case 'cli/usage':
    case 'cli/invalid-flag':
    case 'cli/unsupported-exec-api-version':
    case 'config/invalid':
      return EXIT.USAGE;
    case 'auth/interaction-required':
    case 'auth/cancelled':
      return EXIT.SIGN_IN_REQUIRED;
    case 'auth/timeout':
      return EXIT.TIMEOUT;
    case 'auth/network':
      return EXIT.NETWORK;
    case 'internal':
      return EXIT.FAILURE;
  }
  if (code.startsWith('auth/')) return EXIT.AUTH_FAILED;
  if (code.startsWith('pipe/')) return EXIT.BROKER;
  if (code.startsWith('cache/') || code.startsWith('secret/')) return EXIT.LOCAL_STATE;
  if (code.startsWith('kubeconfig/')) return EXIT.KUBECONFIG;
  if (code.startsWith('cli/')) return EXIT.USAGE;
  return EXIT.FAILURE;
}
