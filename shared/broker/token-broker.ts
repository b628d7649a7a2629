/**
 * The TokenBroker (DESIGN.md "The broker"): owns every token of the process.
 * - answers from memory while > 5 min are left, and refreshes ahead of expiry in the background;
 * - single-flight per token key; one sign-in per session key, shared by every waiter;
 * - silent first, a person only when the caller allows it; revoked refresh tokens drop the account
 *   and lead to exactly one new sign-in;
 * - calls the PoP `present` step on every serve (a fresh JWS per call);
 * - never logs a token: only keys, sources and error codes.
 */
import { AppError, toAppError } from '../core/app-error.js';
import type { BrokerEvent, TokenBrokerApi, TokenCallContext } from '../core/broker.js';
import { silentLogger } from '../core/log.js';
import { systemClock } from '../core/ports.js';
import type { IssuedToken, TokenRequest } from '../core/token-request.js';
import { createFlowRegistry, type FlowEnv, type FlowResult, type PopBinder } from '../auth/flows/sign-in-flow.js';
import { createMsalApps } from '../auth/msal-apps.js';
import { createNetworkClient } from '../auth/network-client.js';
import { BrokerLedger } from './broker-ledger.js';
import { summarizeAccount } from './account-match.js';
import { BrokerAcquirer, type Plan } from './broker-acquirer.js';
import type { TokenBrokerOptions } from './token-broker-options.js';

export type { TokenBrokerOptions } from './token-broker-options.js';

const FIVE_MINUTES = 5 * 60_000;

interface TokenEntry {
  plan: Plan;
  result: FlowResult;
  /** Served since it was stored: only tokens in use are refreshed ahead (idle ones just expire). */
  served: boolean;
  timer?: NodeJS.Timeout;
  /** After a failed background refresh: not again before this (epoch ms). */
  retryAfter?: number;
}

export interface TokenBroker extends TokenBrokerApi {
  /** The MSAL cache directory in use. */
  readonly cacheDir: string;
}

export function createTokenBroker(options: TokenBrokerOptions): TokenBroker {
  const log = (options.log ?? silentLogger).child('broker');
  const clock = options.clock ?? systemClock;
  const minValidityMs = options.minValidityMs ?? FIVE_MINUTES;
  const refreshAheadMs = Math.max(options.refreshAheadMs ?? 10 * 60_000, minValidityMs);
  const closing = new AbortController();
  const network = createNetworkClient({
    caPem: typeof options.caPem === 'string' ? [options.caPem] : options.caPem,
    caFile: options.caFile,
    env: options.env,
    timeoutMs: options.networkTimeoutMs,
    signal: closing.signal,
    log: log.child('http'),
  });
  const apps = createMsalApps({ cacheDir: options.cacheDir, secretBox: options.secretBox, network, log, lock: options.lock });
  const env: FlowEnv = {
    log,
    clock,
    network,
    caPem: network.extraCaPem,
    apps,
    signInWindow: options.signInWindow,
    cacheDir: options.cacheDir,
    secretBox: options.secretBox,
  };
  const registry = options.flows ?? createFlowRegistry();
  const defaultBinder: PopBinder = async (request, e) => (await import('./pop-binding.js')).createPopBinding(request, e);
  if (!registry.popBinder()) registry.setPopBinder(options.popBinder ?? defaultBinder);
  const ledger = new BrokerLedger(options.ledgerSize);
  const tokens = new Map<string, TokenEntry>();
  const acquirer = new BrokerAcquirer({ env, registry, ledger, closing: closing.signal, log, store, defaultTimeoutMs: options.defaultTimeoutMs });

  if (!options.secretBox.protects) {
    log.warn(`token cache storage "${options.secretBox.kind}" does not protect tokens from other programs running as you`);
  }

  function store(plan: Plan, result: FlowResult): void {
    const old = tokens.get(plan.keys.tokenKey);
    if (old?.timer) clearTimeout(old.timer);
    const entry: TokenEntry = { plan, result, served: false };
    tokens.set(plan.keys.tokenKey, entry);
    schedule(entry);
    ledger.updateSession(plan.keys.sessionKey, plan.sessionBase, {
      state: 'signed-in',
      expiresOn: result.expiresOn,
      serverId: plan.request.serverId,
      ...(result.account ? { account: summarizeAccount(result.account) } : {}),
    });
  }

  function schedule(entry: TokenEntry): void {
    if (closing.signal.aborted) return;
    const now = clock.now();
    const target = Math.max(Math.min(entry.result.refreshOn ?? Infinity, entry.result.expiresOn - refreshAheadMs), entry.retryAfter ?? 0);
    const delay = Math.max(target - now, options.minRefreshDelayMs ?? 1_000);
    if (now + delay >= entry.result.expiresOn) return;
    entry.timer = setTimeout(() => void refreshAhead(entry), delay);
    entry.timer.unref();
  }

  async function refreshAhead(entry: TokenEntry): Promise<void> {
    entry.timer = undefined;
    const key = entry.plan.keys.tokenKey;
    if (tokens.get(key) !== entry || closing.signal.aborted) return;
    // Nobody used it since the last refresh: let it rest; the next serve schedules again.
    if (!entry.served) return;
    try {
      const result = await acquirer.refresh(entry.plan);
      log.info('refreshed ahead of expiry', { key, expiresOn: new Date(result.expiresOn).toISOString() });
      ledger.emit({ type: 'token-refreshed', key, expiresOn: result.expiresOn });
    } catch (e) {
      const err = toAppError(e, 'auth/failed');
      log.warn('refresh ahead of expiry failed; the current token stays in use until it expires', { key, errorCode: err.code });
      if (tokens.get(key) === entry) {
        entry.served = false;
        entry.retryAfter = clock.now() + (options.refreshRetryMs ?? 60_000);
      }
      ledger.updateSession(entry.plan.keys.sessionKey, entry.plan.sessionBase, {
        state: err.code === 'auth/interaction-required' || err.code === 'auth/refresh-revoked' ? 'needs-sign-in' : 'error',
        ...(err.code === 'auth/interaction-required' ? {} : { error: err.message }),
      });
    }
  }

  async function present(plan: Plan, entry: TokenEntry, source: IssuedToken['source'], context: TokenCallContext): Promise<IssuedToken> {
    let token = entry.result.accessToken;
    if (entry.result.popKid) {
      if (!plan.pop || plan.pop.kid !== entry.result.popKid) throw new AppError('internal', 'PoP key changed while serving; retry.');
      token = plan.pop.present(entry.result.accessToken, clock.now());
    }
    if (tokens.get(plan.keys.tokenKey) === entry) {
      entry.served = true;
      if (!entry.timer) schedule(entry);
    }
    const account = summarizeAccount(entry.result.account);
    ledger.record({
      time: clock.now(),
      key: plan.keys.sessionKey,
      login: plan.request.login,
      serverId: plan.request.serverId,
      ...(account ? { account: account.username } : {}),
      ...(context.caller ? { caller: context.caller } : {}),
      source,
    });
    return { token, expiresOn: entry.result.expiresOn, source, ...(account ? { account } : {}) };
  }

  async function getToken(request: TokenRequest, context: TokenCallContext): Promise<IssuedToken> {
    if (closing.signal.aborted) throw new AppError('pipe/closed', 'KubeTray is shutting down: run the command again.');
    let plan: Plan | undefined;
    try {
      plan = await acquirer.plan(request);
      const cached = tokens.get(plan.keys.tokenKey);
      if (cached && cached.result.expiresOn - clock.now() > minValidityMs && (!cached.result.popKid || cached.result.popKid === plan.pop?.kid)) {
        return await present(plan, cached, 'cache', context);
      }
      const result = await acquirer.obtain(plan, context);
      const stored = tokens.get(plan.keys.tokenKey);
      return await present(plan, stored?.result === result ? stored : { plan, result, served: true }, result.source, context);
    } catch (e) {
      const err = toAppError(e, 'auth/failed');
      log.warn('token request failed', { key: plan?.keys.sessionKey, login: request.login, errorCode: err.code });
      ledger.record({
        time: clock.now(),
        key: plan?.keys.sessionKey ?? request.login,
        login: request.login,
        serverId: request.serverId,
        ...(context.caller ? { caller: context.caller } : {}),
        source: 'error',
        errorCode: err.code,
      });
      if (plan && err.code !== 'auth/cancelled') {
        ledger.updateSession(plan.keys.sessionKey, plan.sessionBase, err.code === 'auth/interaction-required' ? { state: 'needs-sign-in' } : { state: 'error', error: err.message });
      }
      throw err;
    }
  }

  async function signOut(key?: string): Promise<void> {
    // Let silent refreshes in flight land first, so none re-adds a token after we removed it.
    await acquirer.idle();
    const sessionKeys = new Set<string>();
    for (const [tokenKey, entry] of [...tokens]) {
      if (key === undefined || entry.plan.keys.sessionKey === key || tokenKey === key) {
        if (entry.timer) clearTimeout(entry.timer);
        tokens.delete(tokenKey);
        sessionKeys.add(entry.plan.keys.sessionKey);
      }
    }
    if (key === undefined) {
      await acquirer.forgetAll();
      ledger.removeSession();
    } else {
      if (sessionKeys.size === 0) sessionKeys.add(key);
      for (const s of sessionKeys) {
        const account = await acquirer.forgetSession(s);
        ledger.removeSession(s);
        // Other sessions of the same account lose their tokens too: its refresh token is gone.
        if (account) {
          for (const [tokenKey, entry] of [...tokens]) {
            if (entry.result.account?.homeAccountId !== account) continue;
            if (entry.timer) clearTimeout(entry.timer);
            tokens.delete(tokenKey);
            ledger.removeSession(entry.plan.keys.sessionKey);
          }
        }
      }
    }
    log.info('signed out', { key: key ?? 'everyone' });
  }

  async function close(): Promise<void> {
    if (closing.signal.aborted) return;
    closing.abort(new AppError('auth/cancelled', 'KubeTray is shutting down.'));
    for (const entry of tokens.values()) if (entry.timer) clearTimeout(entry.timer);
    await acquirer.idle();
    network.close();
  }

  return {
    cacheDir: options.cacheDir,
    getToken,
    sessions: () => ledger.sessions(),
    ledger: () => ledger.ledger(),
    signOut,
    on: (listener: (event: BrokerEvent) => void) => ledger.on(listener),
    close,
  };
}
