/**
 * Redaction in front of every log sink and every error message that may quote a server:
 * no access token, refresh token, authorization code, client secret, assertion or password
 * may ever reach a log. Pure (no node:*), so the renderer can use it too.
 */

/** JSON/form keys whose values are always secret. Compared case-insensitively. */
const SECRET_KEYS = [
  'access_token', 'accesstoken', 'refresh_token', 'refreshtoken', 'id_token', 'idtoken',
  'code', 'device_code', 'client_secret', 'clientsecret', 'client_assertion', 'clientassertion',
  'assertion', 'password', 'secret', 'token', 'authorization', 'code_verifier', 'req_cnf',
  'x-identity-header', 'identity_header', 'pop_token', 'private_key', 'privatekey',
];
const SECRET_KEY_SET = new Set(SECRET_KEYS);
/**
 * Field names that end like this are secret too (clientCertificatePassword, SYSTEM_ACCESSTOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN, AZURE_CLIENT_SECRET). Field names only: in free text,
 * `trace_code` or `error_code` stay readable.
 */
const SECRET_FIELD_SUFFIXES = ['password', 'secret', 'accesstoken', 'access_token', 'refreshtoken', 'refresh_token', 'idtoken', 'id_token', 'request_token', 'assertion'];

// A compact JWS/JWT: three base64url segments, the first starting with '{"' encoded (eyJ).
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// key=value / key: value / "key":"value" pairs for secret keys.
const PAIR = new RegExp(
  `(?<![A-Za-z0-9_])(["']?)(${SECRET_KEYS.map((k) => k.replace(/[-]/g, '\\-')).join('|')})\\1(\\s*[:=]\\s*)(["']?)(?!(?:Bearer|PoP|Basic)\\s)([^"'&\\s,}]+)\\4`,
  'gi',
);
// The same pairs with a quoted value, which may hold spaces, commas, '&' or '}' (a password in
// JSON, `secret='a b'`), also inside JSON that was itself quoted (\"password\":\"…\"). Runs
// before PAIR; a value without its closing quote is redacted to the end of the line.
const QUOTED_PAIR = new RegExp(
  `(?<![A-Za-z0-9_])(\\\\?["']?)(${SECRET_KEYS.map((k) => k.replace(/[-]/g, '\\-')).join('|')})\\1(\\s*[:=]\\s*)(\\\\?["'])(?!(?:Bearer|PoP|Basic)\\s)((?:\\\\.|.)*?)(\\4|$)`,
  'gim',
);
// Authorization headers.
const BEARER = /\b(Bearer|PoP|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// Long opaque base64ish blobs (refresh tokens in MSAL are not JWTs).
const OPAQUE = /\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_.-]{60,}\b|\b[A-Za-z0-9+/_-]{120,}={0,2}/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(QUOTED_PAIR, (m: string, q1: string, key: string, sep: string, q2: string, value: string, end: string) =>
      value === '' ? m : `${q1}${key}${q1}${sep}${q2}${REDACTED}${end}`,
    )
    .replace(PAIR, (_m, q1: string, key: string, sep: string, q2: string) => `${q1}${key}${q1}${sep}${q2}${REDACTED}${q2}`)
    .replace(OPAQUE, REDACTED);
}

// A field named `code` is an OAuth authorization code only when it looks like one: error codes
// ('auth/ca-blocked', 'ECONNREFUSED', 50076) stay readable in logs.
const ERROR_CODE = /^(?:[a-z]+\/[a-z0-9-]+|[A-Z][A-Z0-9_]*|\d{1,9})$/;

function isSecretField(key: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  const k = key.toLowerCase();
  if (!SECRET_KEY_SET.has(k) && !SECRET_FIELD_SUFFIXES.some((suffix) => k.endsWith(suffix))) return false;
  if (k === 'code' && (typeof value === 'number' || (typeof value === 'string' && ERROR_CODE.test(value)))) return false;
  return true;
}

/** Deep-copies a value for logging with secret keys and token-shaped strings redacted. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretField(k, v) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
