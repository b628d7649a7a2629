/**
 * Ports: the small interfaces behind which everything OS- or Electron-specific sits.
 * Electron implements them in electron/; Node implementations for headless use and tests live
 * in shared/ (e.g. shared/auth/system-browser.ts, shared/cache/file-secret-box.ts).
 */

/** Opens an authorize URL for a person. MSAL's loopback listener receives the redirect. */
export interface SignInWindow {
  /**
   * Show `url`. Resolve once it is on screen (MSAL awaits this before listening).
   * `signal` aborts when the loopback got its answer or the sign-in was cancelled: close then.
   * Call `onClosedByUser` if the person closes the window before finishing.
   */
  open(url: string, options: { signal: AbortSignal; onClosedByUser: () => void; redirectUri?: string }): Promise<void>;
}

/** Encrypts the cache blob at rest. */
export interface SecretBox {
  /** 'os-keychain' | 'safeStorage' | 'plaintext-file' ...: shown to the user. */
  readonly kind: string;
  /** false when the data is not really protected (e.g. Linux basic_text); the UI warns. */
  readonly protects: boolean;
  encrypt(plain: Uint8Array): Promise<Uint8Array>;
  decrypt(sealed: Uint8Array): Promise<Uint8Array>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Notifier {
  notify(title: string, body: string): void;
}
