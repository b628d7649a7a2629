/**
 * How the broker gets a token it does not hold: plan the request (flow, authority, keys, PoP),
 * then silent first (single-flight per token key), then one shared sign-in per session key when
 * a person is needed and allowed. Also background refresh and sign-out of MSAL's cache.
 */
import type { AccountInfo } from '@azure/msal-node';
import { AppError } from '../core/app-error.js';
import type { SessionSummary, TokenCallContext } from '../core/broker.js';
import type { Logger } from '../core/log.js';
import type { SignInProgress, TokenRequest } from '../core/token-request.js';
import { claimsChallenge, isPolicyBlock, isRevokedRefresh, toAuthAppError } from '../auth/aadsts-errors.js';
import { authorityEnvironment, resolveFlowAuthority, scopeForServerId } from '../auth/authority.js';
import type { FlowAuthority, FlowContext, FlowEnv, FlowRegistry, FlowResult, PopBinding, SignInFlow } from '../auth/flows/sign-in-flow.js';
import { bindPartition } from '../auth/msal-apps.js';
import { accountFitsHint, accountFitsTenant, matchAccount } from './account-match.js';
import type { BrokerLedger } from './broker-ledger.js';
import { buildRequestKeys, type RequestKeys } from './request-key.js';
import { SessionBindings } from './session-bindings.js';
import { SharedSignIns } from './shared-sign-in.js';
import { SingleFlight } from './single-flight.js';
import { leaveOnAbort, withTimeout } from './with-timeout.js';

export interface Plan {
  request: TokenRequest;
  flow: SignInFlow;
  authority: FlowAuthority;
  clientId: string;
  scope: string;
  keys: RequestKeys;
  pop?: PopBinding;
  sessionBase: Omit<SessionSummary, 'state'>;
}

interface NeedsSignIn {
  result?: undefined;
  claims?: string;
  why?: string;
  revoked?: boolean;
}
type SilentOutcome = { result: FlowResult } | NeedsSignIn;

export interface AcquirerDeps {
  env: FlowEnv;
  registry: FlowRegistry;
  ledger: BrokerLedger;
  closing: AbortSignal;
  log: Logger;
  store(plan: Plan, result: FlowResult): void;
  defaultTimeoutMs?: number | undefined;
}

export class BrokerAcquirer {
  private readonly silentFlights = new SingleFlight<SilentOutcome>();
  private readonly appFlights = new SingleFlight<FlowResult>();
  private readonly signIns: SharedSignIns<{ tokenKey: string; result: FlowResult }>;
  private readonly bindings: SessionBindings;
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly deps: AcquirerDeps) {
    this.signIns = new SharedSignIns(deps.closing);
    this.bindings = new SessionBindings(deps.env.cacheDir, deps.log);
  }

  async plan(request: TokenRequest): Promise<Plan> {
    const flow = await this.deps.registry.get(request.login);
    flow.validate?.(request);
    if (!request.serverId || request.serverId.trim() === '') {
      throw new AppError('cli/invalid-flag', '--server-id is required: give the application id of the cluster (AKS: 6dae42f8-4368-4678-94ff-3960e28e3630).', { detail: { flag: 'server-id' } });
    }
    const authority = resolveFlowAuthority(request);
    const clientId = (request.clientId ?? '').trim();
    const scope = scopeForServerId(request.serverId);
    const keys = buildRequestKeys({ request, kind: flow.kind, authority, clientId, scope, keyParts: flow.keyParts?.(request) ?? [] });
    let pop: PopBinding | undefined;
    if (request.popEnabled) {
      const binder = this.deps.registry.popBinder();
      if (!binder) throw new AppError('auth/unsupported-method', 'Proof-of-Possession tokens are not available in this build of KubeTray.');
      pop = await binder(request, this.deps.env);
    }
    const sessionBase = { key: keys.sessionKey, login: request.login, tenantId: authority.tenant, clientId, serverId: request.serverId };
    const plan: Plan = { request, flow, authority, clientId, scope, keys, sessionBase, ...(pop ? { pop } : {}) };
    this.plans.set(keys.sessionKey, plan);
    return plan;
  }

  /** The flow's environment with MSAL apps bound to one partition (see MsalApps.publicClient). */
  private envFor(partition: string): FlowEnv {
    return { ...this.deps.env, apps: bindPartition(this.deps.env.apps, partition) };
  }

  private context(plan: Plan, over: Partial<FlowContext> & Pick<FlowContext, 'signal' | 'interactive'>, partition = plan.keys.tokenKey): FlowContext {
    return {
      request: plan.request,
      authority: plan.authority,
      clientId: plan.clientId,
      scopes: [plan.scope],
      forceRefresh: false,
      personSignal: over.signal,
      onProgress: () => undefined,
      env: this.envFor(partition),
      ...(plan.pop ? { pop: plan.pop } : {}),
      ...over,
    };
  }

  private timeoutMs(plan: Plan): number {
    return plan.request.timeoutMs && plan.request.timeoutMs > 0 ? plan.request.timeoutMs : (this.deps.defaultTimeoutMs ?? 60_000);
  }

  /** A token for `plan`, silently or through a (shared) sign-in when the caller allows one. */
  async obtain(plan: Plan, context: TokenCallContext): Promise<FlowResult> {
    if (plan.flow.kind !== 'user') return leaveOnAbort(this.appFlights.run(plan.keys.tokenKey, () => this.acquireApp(plan, false)), context.signal);
    const outcome = await leaveOnAbort(this.silentFlights.run(plan.keys.tokenKey, () => this.silent(plan, false)), context.signal);
    if (outcome.result) return outcome.result;
    // A caller that may not start a sign-in may still wait for one somebody else started.
    if (!context.interactive && !this.signIns.isRunning(plan.keys.sessionKey)) throw this.interactionRequired(plan, outcome.why);
    const signed = await this.signIns.join(
      plan.keys.sessionKey,
      (personSignal, progress) => this.signIn(plan, outcome, personSignal, progress),
      { ...(context.onProgress ? { onProgress: context.onProgress } : {}), ...(context.signal ? { signal: context.signal } : {}) },
    );
    if (signed.tokenKey === plan.keys.tokenKey) return signed.result;
    // Another scope of the same account signed in: its refresh token serves this scope silently.
    const again = await this.silentFlights.run(plan.keys.tokenKey, () => this.silent(plan, false));
    if (again.result) return again.result;
    throw this.interactionRequired(plan, again.why);
  }

  /** Background refresh: never a person. */
  async refresh(plan: Plan): Promise<FlowResult> {
    if (plan.flow.kind !== 'user') return this.appFlights.run(plan.keys.tokenKey, () => this.acquireApp(plan, true));
    const outcome = await this.silentFlights.run(plan.keys.tokenKey, () => this.silent(plan, true));
    if (outcome.result) return outcome.result;
    throw this.interactionRequired(plan, outcome.why);
  }

  private interactionRequired(plan: Plan, why: string | undefined): AppError {
    const where = 'Sign in in the KubeTray window, or run `kubetray get-token` in a terminal';
    return new AppError('auth/interaction-required', `${why ? `${why} ` : ''}${where} (${plan.request.login}, tenant ${plan.authority.tenant}).`, {
      detail: { login: plan.request.login, tenant: plan.authority.tenant },
    });
  }

  private async acquireApp(plan: Plan, forceRefresh: boolean): Promise<FlowResult> {
    const result = await withTimeout(this.timeoutMs(plan), this.deps.closing, (signal) =>
      plan.flow.acquire(this.context(plan, { signal, interactive: false, forceRefresh })),
    ).catch((e: unknown) => {
      throw toAuthAppError(e, 'auth/failed', `Getting a token (--login ${plan.request.login}) failed`);
    });
    this.deps.store(plan, result);
    return result;
  }

  private async userAccounts(plan: Plan, partition = plan.keys.tokenKey): Promise<{ accounts: AccountInfo[]; remove(a: AccountInfo): Promise<void> }> {
    const pca = await this.deps.env.apps.publicClient(plan.authority, plan.clientId, partition);
    const cache = pca.getTokenCache();
    return { accounts: await cache.getAllAccounts(), remove: (a) => cache.removeAccount(a) };
  }

  private async silent(plan: Plan, forceRefresh: boolean): Promise<SilentOutcome> {
    const { accounts, remove } = await this.userAccounts(plan);
    const account = matchAccount(accounts, {
      environment: authorityEnvironment(plan.authority.authorityHost),
      tenant: plan.authority.tenant,
      ...(plan.request.loginHint ? { loginHint: plan.request.loginHint } : {}),
      ...(this.bindings.get(plan.keys.sessionKey) ? { boundHomeAccountId: this.bindings.get(plan.keys.sessionKey)! } : {}),
    });
    if (!account || !plan.flow.acquireSilent) return { why: 'There is no saved sign-in for this cluster.' };
    try {
      const result = await withTimeout(this.timeoutMs(plan), this.deps.closing, (signal) =>
        plan.flow.acquireSilent!(this.context(plan, { signal, interactive: false, forceRefresh, account })),
      );
      if (!result) return { why: 'The saved sign-in cannot be used silently.' };
      this.bindings.set(plan.keys.sessionKey, account.homeAccountId);
      this.deps.store(plan, result);
      return { result };
    } catch (e) {
      if (e instanceof AppError) throw e;
      // AADSTS53003 arrives as InteractionRequiredAuthError: signing in again cannot help.
      if (isPolicyBlock(e)) throw toAuthAppError(e, 'auth/ca-blocked', 'Access blocked');
      if (isRevokedRefresh(e)) {
        const why = toAuthAppError(e, 'auth/refresh-revoked', 'The saved sign-in no longer works').message;
        this.deps.log.warn('refresh token rejected; dropping the account so the next sign-in starts clean', { key: plan.keys.sessionKey, errorCode: 'auth/refresh-revoked' });
        await remove(account);
        this.bindings.delete(plan.keys.sessionKey);
        return { why, revoked: true };
      }
      const mapped = toAuthAppError(e, 'auth/failed', 'Refreshing the token failed');
      if (mapped.code === 'auth/interaction-required' || (e as { name?: unknown }).name === 'InteractionRequiredAuthError') {
        const claims = claimsChallenge(e);
        return { why: mapped.message, ...(claims ? { claims } : {}) };
      }
      throw mapped;
    }
  }

  private async signIn(plan: Plan, outcome: NeedsSignIn, personSignal: AbortSignal, progress: (p: SignInProgress) => void): Promise<{ tokenKey: string; result: FlowResult }> {
    if (outcome.revoked && outcome.why) progress({ kind: 'info', message: `${outcome.why} Signing in again.` });
    this.deps.ledger.updateSession(plan.keys.sessionKey, plan.sessionBase, { state: 'signing-in' });
    this.deps.ledger.emit({ type: 'sign-in-needed', key: plan.keys.sessionKey, login: plan.request.login });
    this.deps.log.info('sign-in started', { key: plan.keys.sessionKey, login: plan.request.login, claimsChallenge: outcome.claims !== undefined });
    let result: FlowResult;
    try {
      result = await plan.flow.acquire(
        this.context(
          plan,
          { signal: personSignal, personSignal, interactive: true, onProgress: progress, ...(outcome.claims ? { claims: outcome.claims } : {}) },
          `sign-in ${plan.keys.sessionKey}`,
        ),
      );
    } catch (e) {
      const err =
        personSignal.aborted && !(e instanceof AppError && e.code !== 'auth/cancelled') ? toAuthErrorFromAbort(personSignal, e) : toAuthAppError(e, 'auth/failed', 'Sign-in failed');
      // The window shows the session again as needing a sign-in (cancelled) or failed.
      this.deps.ledger.updateSession(plan.keys.sessionKey, plan.sessionBase, err.code === 'auth/cancelled' ? { state: 'needs-sign-in' } : { state: 'error', error: err.message });
      throw err;
    }
    const account = result.account;
    if (account && (!accountFitsTenant(account, plan.authority.tenant) || !accountFitsHint(account, plan.request.loginHint))) {
      throw new AppError(
        'auth/failed',
        `You signed in as ${account.username}, but this cluster asks for ${plan.request.loginHint ?? `tenant ${plan.authority.tenant}`}: sign in again with that account.`,
        { detail: { tenant: plan.authority.tenant } },
      );
    }
    if (account) this.bindings.set(plan.keys.sessionKey, account.homeAccountId);
    this.deps.log.info('sign-in finished', { key: plan.keys.sessionKey, account: account?.username });
    this.deps.store(plan, result);
    return { tokenKey: plan.keys.tokenKey, result };
  }

  /**
   * Removes one session's account (user: with its refresh token) or app tokens from MSAL's cache.
   * Returns the homeAccountId removed, so the broker can drop every token of that account.
   */
  async forgetSession(sessionKey: string): Promise<string | undefined> {
    const plan = this.plans.get(sessionKey);
    if (!plan) return undefined;
    let removed: string | undefined;
    if (plan.flow.kind === 'user') {
      const { accounts, remove } = await this.userAccounts(plan, 'sign-out');
      const bound = this.bindings.get(sessionKey);
      const victim = bound
        ? accounts.find((a) => a.homeAccountId === bound)
        : matchAccount(accounts, { environment: authorityEnvironment(plan.authority.authorityHost), tenant: plan.authority.tenant, ...(plan.request.loginHint ? { loginHint: plan.request.loginHint } : {}) });
      if (victim) {
        await remove(victim);
        removed = victim.homeAccountId;
        this.bindings.deleteAccount(victim.homeAccountId);
      }
    } else if (plan.flow.forget) {
      await plan.flow.forget(this.context(plan, { signal: this.deps.closing, interactive: false }));
    } else if (plan.flow.kind === 'app') {
      await this.deps.env.apps.clearConfidential(plan.authority, plan.clientId);
    }
    this.bindings.delete(sessionKey);
    this.plans.delete(sessionKey);
    return removed;
  }

  async forgetAll(): Promise<void> {
    for (const plan of new Set([...this.plans.values()])) {
      if (plan.flow.kind === 'external' && plan.flow.forget) await plan.flow.forget(this.context(plan, { signal: this.deps.closing, interactive: false }));
    }
    this.bindings.clear();
    this.plans.clear();
    await (this.deps.env.apps as { clearAll?: () => Promise<void> }).clearAll?.();
  }

  async idle(): Promise<void> {
    await Promise.allSettled([this.silentFlights.idle(), this.appFlights.idle()]);
  }
}

function toAuthErrorFromAbort(signal: AbortSignal, cause: unknown): AppError {
  const reason: unknown = signal.reason;
  if (reason instanceof AppError) return reason;
  return new AppError('auth/cancelled', 'The sign-in was cancelled.', { cause });
}
