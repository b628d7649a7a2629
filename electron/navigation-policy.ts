/**
 * Where a KubeTray window may go. Pure (no electron, no node:*): the Electron glue and the
 * Chromium-backed test window apply the same rules.
 *
 * Every comparison parses with `new URL()` and compares protocol, hostname and port exactly;
 * never `startsWith` (a prefix check lets `https://login.microsoftonline.com.evil.example` in).
 */

export interface SignInNavigationPolicy {
  /** https hosts the person may visit while signing in (the authority and its sign-in pages). */
  readonly authorityHosts: ReadonlySet<string>;
  /** MSAL's loopback redirect, e.g. http://localhost:53111 (scheme, host and port must match). */
  readonly redirect?: { protocol: string; hostname: string; port: string };
}

/**
 * Hosts Entra's sign-in pages move between inside the public cloud (home realm discovery sends
 * personal accounts to login.live.com). Federated IdPs (AD FS, Okta, ...) are added through
 * `extraHosts` from settings; anything else is refused rather than silently allowed.
 */
const ENTRA_COMPANION_HOSTS: Record<string, readonly string[]> = {
  'login.microsoftonline.com': ['login.live.com', 'account.live.com', 'device.login.microsoftonline.com', 'autologon.microsoftazuread-sso.com'],
  'login.microsoftonline.us': ['device.login.microsoftonline.us'],
  'login.chinacloudapi.cn': [],
  'login.partner.microsoftonline.cn': [],
};

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const isLoopbackHost = (hostname: string): boolean => hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';

/**
 * A host from settings in the form navigations are compared in (`URL.host`): lower case, and
 * https's default port dropped, so `adfs.contoso.com:443` matches https://adfs.contoso.com/.
 * Anything that is not a bare host[:port] is ignored.
 */
function normaliseExtraHost(entry: string): string | undefined {
  const trimmed = entry.trim().toLowerCase();
  if (!trimmed || /[/?#@\\]/.test(trimmed)) return undefined;
  return parse(`https://${trimmed}`)?.host || undefined;
}

/** Builds the policy for one authorize URL: its host, its companions, and its redirect_uri. */
export function buildSignInPolicy(authorizeUrl: string, extraHosts: readonly string[] = []): SignInNavigationPolicy {
  const url = parse(authorizeUrl);
  if (!url || url.protocol !== 'https:') throw new Error('The sign-in address must be an https URL.');
  const hosts = new Set<string>([url.host]);
  for (const h of ENTRA_COMPANION_HOSTS[url.hostname] ?? []) hosts.add(h);
  for (const h of extraHosts) {
    const host = normaliseExtraHost(h);
    if (host) hosts.add(host);
  }
  const redirectUri = url.searchParams.get('redirect_uri');
  const redirect = redirectUri ? parse(redirectUri) : undefined;
  if (redirect && redirect.protocol === 'http:' && isLoopbackHost(redirect.hostname)) {
    return { authorityHosts: hosts, redirect: { protocol: redirect.protocol, hostname: redirect.hostname, port: redirect.port } };
  }
  return { authorityHosts: hosts };
}

/** True when `target` is MSAL's loopback redirect (same scheme, host and port). */
export function isLoopbackRedirect(target: string, policy: SignInNavigationPolicy): boolean {
  const url = parse(target);
  const r = policy.redirect;
  if (!url || !r) return false;
  // 127.0.0.1 and localhost are the same listener for MSAL (it binds 127.0.0.1, advertises localhost).
  const sameHost = url.hostname === r.hostname || (isLoopbackHost(url.hostname) && isLoopbackHost(r.hostname) && url.hostname !== '[::1]' && r.hostname !== '[::1]');
  return url.protocol === r.protocol && sameHost && url.port === r.port;
}

export type NavigationDecision = 'allow' | 'redirect' | 'deny';

/** Decides a navigation (or redirect, or form post) inside the sign-in window. */
export function decideSignInNavigation(target: string, policy: SignInNavigationPolicy): NavigationDecision {
  if (isLoopbackRedirect(target, policy)) return 'redirect';
  const url = parse(target);
  if (!url) return 'deny';
  if (url.protocol === 'about:' && url.href === 'about:blank') return 'allow';
  if (url.protocol !== 'https:') return 'deny';
  if (url.username || url.password) return 'deny';
  return policy.authorityHosts.has(url.host) ? 'allow' : 'deny';
}

/** The app window: only our own index.html (file: URL, exact path), nothing else. */
export function isOwnAppUrl(target: string, appUrl: string): boolean {
  const a = parse(target);
  const b = parse(appUrl);
  if (!a || !b) return false;
  return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
}

/** IPC sender check: the frame that called must be our top-level page at our own URL. */
export function isTrustedSender(sender: { url: string; isMainFrame: boolean } | null | undefined, appUrl: string): boolean {
  return !!sender && sender.isMainFrame && isOwnAppUrl(sender.url, appUrl);
}

/** Links the window may hand to the OS browser (help, portal); everything else is dropped. */
export function isExternalLinkAllowed(target: string): boolean {
  const url = parse(target);
  return !!url && url.protocol === 'https:' && !url.username && !url.password;
}
