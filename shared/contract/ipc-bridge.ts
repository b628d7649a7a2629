/**
 * Both ends of the contract, built generically from IPC/EVENTS so nobody re-declares a call:
 * - `buildKubeTrayApi(transport)`: the object the preload exposes as `window.kubetray` (and the
 *   test harness injects into Chromium). Validates what comes back from main.
 * - `dispatchIpc(handlers, channel, payload)`: what main runs for each invoke. Validates the
 *   request, never throws, validates its own response before it leaves the process.
 * Pure: no node:*, no electron (the transport is passed in).
 */
import type { AppErrorJson, Result } from '../core/app-error.js';
import { redactText } from '../core/redact.js';
import { validate } from './schema.js';
import {
  appErrorSchema,
  EVENT_NAMES,
  EVENTS,
  IPC,
  IPC_NAMES,
  subscriberName,
  type EventName,
  type IpcHandlers,
  type IpcName,
  type KubeTrayApi,
} from './ipc-contract.js';

export interface RendererTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Subscribe to a main->renderer channel; returns unsubscribe. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

const bug = (message: string): Result<never, AppErrorJson> => ({ ok: false, error: { code: 'ipc/bad-request', message } });

/**
 * The error half of a Result, held to the contract like the value half: a handler's error with
 * an over-long message, a bad detail or no code at all is cut down to what the contract allows
 * (appErrorSchema) instead of crossing IPC as is.
 */
export function toContractError(error: unknown): AppErrorJson {
  if (validate(appErrorSchema, error).ok) return error as AppErrorJson;
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; detail?: unknown };
  const code = typeof e.code === 'string' && e.code.length > 0 && e.code.length <= 64 ? e.code : 'internal';
  const message = typeof e.message === 'string' && e.message !== '' ? redactText(e.message).slice(0, 4096) : 'Unexpected failure in KubeTray.';
  const out: AppErrorJson = { code: code as AppErrorJson['code'], message };
  const withDetail = { ...out, detail: e.detail };
  return e.detail !== undefined && validate(appErrorSchema, withDetail).ok ? (withDetail as AppErrorJson) : out;
}

function isResultShape(value: unknown): value is { ok: boolean; value?: unknown; error?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function buildKubeTrayApi(transport: RendererTransport): KubeTrayApi {
  const api: Record<string, unknown> = {};
  for (const name of IPC_NAMES) {
    const entry = IPC[name];
    api[name] = async (request: unknown): Promise<Result<unknown, AppErrorJson>> => {
      const checked = validate(entry.request, request ?? {}, `${name} request`);
      if (!checked.ok) return checked;
      let raw: unknown;
      try {
        raw = await transport.invoke(entry.channel, checked.value);
      } catch (e) {
        return bug(`KubeTray's main process did not answer ${name}: ${e instanceof Error ? e.message : String(e)}. Restart KubeTray.`);
      }
      if (!isResultShape(raw)) return bug(`KubeTray's main process sent a malformed answer to ${name}.`);
      if (!raw.ok) {
        // The error is shown to the person: it must match the contract like any answer.
        return validate(appErrorSchema, raw.error).ok ? { ok: false, error: raw.error as AppErrorJson } : bug(`KubeTray's main process sent a malformed error for ${name}.`);
      }
      const body = validate(entry.response, raw.value, `${name} response`);
      return body.ok ? { ok: true, value: body.value } : body;
    };
  }
  for (const name of EVENT_NAMES) {
    const entry = EVENTS[name];
    api[subscriberName(name)] = (listener: (payload: unknown) => void) =>
      transport.on(entry.channel, (payload) => {
        // A payload that does not match the contract is dropped rather than half-rendered.
        if (validate(entry.payload, payload).ok) listener(payload);
      });
  }
  return api as KubeTrayApi;
}

const BY_CHANNEL: ReadonlyMap<string, IpcName> = new Map(IPC_NAMES.map((n) => [IPC[n].channel, n]));

export function ipcNameForChannel(channel: string): IpcName | undefined {
  return BY_CHANNEL.get(channel);
}

/** Runs one invoke on main. Validates in and out; converts anything thrown into a Result. */
export async function dispatchIpc(handlers: IpcHandlers, channel: string, payload: unknown): Promise<Result<unknown, AppErrorJson>> {
  const name = ipcNameForChannel(channel);
  if (!name) return bug(`Unknown KubeTray call ${JSON.stringify(channel.slice(0, 80))}.`);
  const entry = IPC[name];
  const checked = validate(entry.request, payload, `${name} request`);
  if (!checked.ok) return { ok: false, error: { ...checked.error, code: 'ipc/bad-request' } };
  try {
    const handler = handlers[name] as (request: unknown) => Promise<Result<unknown, AppErrorJson>>;
    const result = await handler(checked.value);
    if (!result.ok) return { ok: false, error: toContractError(result.error) };
    const out = validate(entry.response, result.value, `${name} response`);
    return out.ok ? result : { ok: false, error: { code: 'internal', message: out.error.message } };
  } catch (e) {
    const code = typeof (e as { code?: unknown })?.code === 'string' ? ((e as { code: string }).code) : 'internal';
    const message = e instanceof Error ? redactText(e.message) : 'Unexpected failure in KubeTray.';
    return { ok: false, error: toContractError({ code, message }) };
  }
}

/** Checks an event payload on main before it is sent (a wrong payload is a bug, caught in tests). */
export function checkEventPayload(name: EventName, payload: unknown): Result<unknown, AppErrorJson> {
  return validate(EVENTS[name].payload, payload, `${name} event`);
}
