/**
 * Time and text formatting for the window. Pure (no DOM), unit-tested under Node.
 */

/** A live countdown: "59:48", "1 h 05 min", "expired". */
export function formatCountdown(expiresOn: number | undefined, now: number): string {
  if (expiresOn === undefined) return '—';
  const ms = expiresOn - now;
  if (ms <= 0) return 'expired';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** "just now", "5 min ago", "3 h ago", else a date. */
export function formatAgo(time: number, now: number): string {
  const s = Math.max(0, Math.round((now - time) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  return new Date(time).toISOString().slice(0, 10);
}

export function formatClock(time: number): string {
  const d = new Date(time);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** The host of a server URL, or the text as is (kubeconfig servers are not always URLs). */
export function shortServer(server: string): string {
  try {
    const u = new URL(server);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return server;
  }
}

/** A GUID shown as its first block (the full value is in the title tooltip). */
export function shortId(value: string | undefined): string {
  if (!value) return '—';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value) ? `${value.slice(0, 8)}…` : value;
}

export const STATE_LABELS: Record<string, string> = {
  'signed-in': 'Signed in',
  'signing-in': 'Signing in…',
  'needs-sign-in': 'Sign-in needed',
  error: 'Error',
  'not-entra': 'Not Entra ID',
};

export const SOURCE_LABELS: Record<string, string> = {
  cache: 'from cache',
  refresh: 'silent refresh',
  'sign-in': 'new sign-in',
  error: 'failed',
};

/** Case-insensitive filter over the fields a person would type. */
export function matchesFilter(fields: readonly (string | undefined)[], filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return fields.some((x) => x !== undefined && x.toLowerCase().includes(f));
}
