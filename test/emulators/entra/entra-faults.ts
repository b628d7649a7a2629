/**
 * Fault switches for tests: per tenant or global, for the next N matching calls or until
 * removed. Applied before a route runs, so msal-node sees exactly what a flaky Entra would send.
 */
import type * as http from 'node:http';
import { sendJson, sendText } from '../http/http-kit.js';
import { AADSTS, entraErrorBody, type AadstsName, type EntraErrorSpec } from './entra-errors.js';

export type FaultTarget = 'token' | 'devicecode' | 'metadata' | 'authorize' | 'all';

export interface FaultSpec {
  /** Only requests for this tenant path segment (GUID/domain/common); default any. */
  tenant?: string;
  /** Which endpoints; default 'token'. 'all' includes discovery and pages. */
  target?: FaultTarget;
  /** How many matching requests it affects; default Infinity (until removed). */
  times?: number;
  /** Delay before answering (or before the other fault), ms. */
  delayMs?: number;
  /** Answer with this HTTP 5xx status and an Entra server_error body. */
  status?: number;
  /** Answer 429 with this Retry-After (seconds). */
  throttleRetryAfter?: number;
  /** Answer 200 with a body that is not JSON. */
  malformedJson?: boolean;
  /** Answer with this AADSTS error (a name from AADSTS or a full spec). */
  aadsts?: AadstsName | EntraErrorSpec;
}

export interface FaultHandle {
  /** How many requests it has hit so far. */
  readonly hits: number;
  remove(): void;
}

interface Fault extends FaultSpec {
  hits: number;
  removed: boolean;
}

export class FaultInjector {
  private faults: Fault[] = [];

  add(spec: FaultSpec): FaultHandle {
    const fault: Fault = { ...spec, hits: 0, removed: false };
    this.faults.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      remove: () => {
        fault.removed = true;
      },
    };
  }

  clear(): void {
    this.faults = [];
  }

  /** Applies the first matching fault; returns true when it answered the request itself. */
  async apply(target: FaultTarget, tenant: string | undefined, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    this.faults = this.faults.filter((f) => !f.removed && f.hits < (f.times ?? Infinity));
    const fault = this.faults.find(
      (f) => (f.target === 'all' || (f.target ?? 'token') === target) && (f.tenant === undefined || f.tenant.toLowerCase() === tenant?.toLowerCase()),
    );
    if (!fault) return false;
    fault.hits += 1;
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const correlation = req.headers['client-request-id'] as string | undefined;
    if (fault.throttleRetryAfter !== undefined) {
      sendJson(res, 429, entraErrorBody(AADSTS.throttled, correlation), { 'retry-after': String(fault.throttleRetryAfter) });
      return true;
    }
    if (fault.status !== undefined) {
      sendJson(res, fault.status, entraErrorBody({ ...AADSTS.serverError, status: fault.status }, correlation));
      return true;
    }
    if (fault.malformedJson) {
      sendText(res, 200, 'application/json; charset=utf-8', '{"token_type":"Bearer","access_token":');
      return true;
    }
    if (fault.aadsts !== undefined) {
      const spec = typeof fault.aadsts === 'string' ? AADSTS[fault.aadsts] : fault.aadsts;
      sendJson(res, spec.status, entraErrorBody(spec, correlation));
      return true;
    }
    return false;
  }
}
