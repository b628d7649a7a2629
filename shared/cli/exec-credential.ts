/**
 * The Kubernetes exec credential plugin contract (client.authentication.k8s.io): what kubectl
 * passes in KUBERNETES_EXEC_INFO and the one ExecCredential line we print. Pure.
 * https://kubernetes.io/docs/reference/access-authn-authz/authentication/#input-and-output-formats
 */
export const EXEC_API_V1BETA1 = 'client.authentication.k8s.io/v1beta1';
export const EXEC_API_V1 = 'client.authentication.k8s.io/v1';
export const SUPPORTED_EXEC_API_VERSIONS: readonly string[] = [EXEC_API_V1BETA1, EXEC_API_V1];

export interface ExecInfo {
  apiVersion: string;
  /** spec.interactive; true when kubectl did not say (run by hand, or an old kubectl). */
  interactive: boolean;
  /** Whether KUBERNETES_EXEC_INFO was present at all. */
  fromKubectl: boolean;
}

/** Parses KUBERNETES_EXEC_INFO. Unset or empty -> v1beta1 (as kubelogin). */
export function parseExecInfo(value: string | undefined): { ok: true; info: ExecInfo } | { ok: false; message: string } {
  if (value === undefined || value.trim() === '') {
    return { ok: true, info: { apiVersion: EXEC_API_V1BETA1, interactive: true, fromKubectl: false } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, message: 'KUBERNETES_EXEC_INFO is not valid JSON: run kubetray from kubectl, or unset the variable.' };
  }
  const obj = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { apiVersion?: unknown; spec?: { interactive?: unknown } };
  const apiVersion = typeof obj.apiVersion === 'string' && obj.apiVersion !== '' ? obj.apiVersion : EXEC_API_V1BETA1;
  if (!SUPPORTED_EXEC_API_VERSIONS.includes(apiVersion)) {
    return {
      ok: false,
      message: `kubectl asked for ExecCredential ${apiVersion}, which kubetray does not support: set the exec apiVersion in your kubeconfig to ${EXEC_API_V1} or ${EXEC_API_V1BETA1}.`,
    };
  }
  const interactive = obj.spec && typeof obj.spec.interactive === 'boolean' ? obj.spec.interactive : true;
  return { ok: true, info: { apiVersion, interactive, fromKubectl: true } };
}

/** RFC 3339, UTC, whole seconds (kubectl parses metav1.Time). */
export function formatExpiration(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One ExecCredential JSON line, newline-terminated. */
export function formatExecCredential(apiVersion: string, token: string, expiresOnMs: number, interactive?: boolean): string {
  const credential = {
    kind: 'ExecCredential',
    apiVersion,
    spec: interactive === undefined ? {} : { interactive },
    status: { expirationTimestamp: formatExpiration(expiresOnMs), token },
  };
  return JSON.stringify(credential) + '\n';
}
