/**
 * The msal-node configuration pieces that follow from the cloud and the request: authority,
 * known authorities (msal-node's only way to skip instance discovery) and the scope.
 * Used by the METHODS flows (ropc, workload identity, Azure Pipelines); BROKER's flows may use
 * it too.
 */
import type { Configuration, ICachePlugin, INetworkModule } from '@azure/msal-node';
import type { Logger } from '../core/log.js';
import { resolveAuthority, type AuthorityInput, type AuthoritySettings } from './clouds.js';

type LoggerOptions = NonNullable<NonNullable<Configuration['system']>['loggerOptions']>;

/** What the broker hands every msal-based flow (all optional: tests and headless use work without). */
export interface MsalHooks {
  /** e.g. an https.Agent-backed client trusting a runtime CA; default: msal's fetch client. */
  networkClient?: INetworkModule;
  /** The broker's persistent, encrypted cache. */
  cachePlugin?: ICachePlugin;
  logger?: Logger;
}

/** `--server-id` -> `<server-id>/.default` (trailing '/' dropped; an explicit scope kept). */
export function scopeForServerId(serverId: string): string {
  const trimmed = serverId.trim();
  if (trimmed.endsWith('/.default')) return trimmed;
  return `${trimmed.replace(/\/+$/, '')}/.default`;
}

export interface MsalAuthBase {
  authority: string;
  knownAuthorities: string[];
}

export function msalAuthBase(settings: AuthoritySettings): MsalAuthBase {
  return { authority: settings.authority, knownAuthorities: settings.knownAuthorities };
}

export function msalAuthFor(input: AuthorityInput): MsalAuthBase & { settings: AuthoritySettings } {
  const settings = resolveAuthority(input);
  return { ...msalAuthBase(settings), settings };
}

/** msal's logger wired to ours; msal's messages pass the same redactor (shared/core/log.ts). */
export function msalLoggerOptions(logger: Logger | undefined): LoggerOptions | undefined {
  if (!logger) return undefined;
  const log = logger.child('msal');
  return {
    piiLoggingEnabled: false,
    logLevel: 1, // Warning
    loggerCallback: (level: number, message: string) => {
      if (level === 0) log.error(message);
      else log.warn(message);
    },
  };
}

/** The `system` block for an msal app. */
export function msalSystem(hooks: MsalHooks | undefined): { networkClient?: INetworkModule; loggerOptions?: LoggerOptions } {
  const loggerOptions = msalLoggerOptions(hooks?.logger);
  return {
    ...(hooks?.networkClient ? { networkClient: hooks.networkClient } : {}),
    ...(loggerOptions ? { loggerOptions } : {}),
  };
}
