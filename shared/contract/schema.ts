/**
 * Tiny hand-written runtime schemas for the main<->renderer contract. Pure (no node:*, no
 * packages) so the renderer, the preload and the main process share one definition.
 *
 * A schema checks an unknown value and, on success, narrows it to `Infer<typeof schema>`.
 * Types are derived from schemas, never declared twice.
 */
import type { AppErrorJson, Result } from '../core/app-error.js';

export interface Schema<T> {
  /** Returns undefined when `value` is a T, else a short reason naming the path. */
  readonly check: (value: unknown, path: string) => string | undefined;
  /** Phantom field carrying T for `Infer`; never set at run time. */
  readonly __type?: T;
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const schema = <T>(check: (value: unknown, path: string) => string | undefined): Schema<T> => ({ check });

export function str(options: { max?: number; min?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = options.max ?? 4096;
  return schema((v, p) => {
    if (typeof v !== 'string') return `${p} must be a string`;
    if (v.length > max) return `${p} is longer than ${max} characters`;
    if (options.min !== undefined && v.length < options.min) return `${p} is shorter than ${options.min} characters`;
    if (options.pattern && !options.pattern.test(v)) return `${p} has an unexpected format`;
    return undefined;
  });
}

export function num(options: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  return schema((v, p) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${p} must be a finite number`;
    if (options.integer && !Number.isInteger(v)) return `${p} must be an integer`;
    if (options.min !== undefined && v < options.min) return `${p} must be >= ${options.min}`;
    if (options.max !== undefined && v > options.max) return `${p} must be <= ${options.max}`;
    return undefined;
  });
}

export const bool = (): Schema<boolean> => schema((v, p) => (typeof v === 'boolean' ? undefined : `${p} must be true or false`));

export function literal<const L extends readonly (string | number | boolean)[]>(...values: L): Schema<L[number]> {
  return schema((v, p) => ((values as readonly unknown[]).includes(v) ? undefined : `${p} must be one of ${values.join(', ')}`));
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return { check: (v, p) => (v === undefined ? undefined : inner.check(v, p)), optional: true };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((v, p) => (v === null ? undefined : inner.check(v, p)));
}

export function array<T>(item: Schema<T>, options: { max?: number } = {}): Schema<T[]> {
  const max = options.max ?? 100_000;
  return schema((v, p) => {
    if (!Array.isArray(v)) return `${p} must be a list`;
    if (v.length > max) return `${p} has more than ${max} items`;
    for (let i = 0; i < v.length; i++) {
      const reason = item.check(v[i], `${p}[${i}]`);
      if (reason) return reason;
    }
    return undefined;
  });
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type InferShape<S extends Shape> = Simplify<{ [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

/** A plain object with exactly these keys (unknown keys are refused: no smuggled fields). */
export function object<S extends Shape>(shape: S): Schema<InferShape<S>> {
  const keys = Object.keys(shape);
  return schema((v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${p} must be a plain object`;
    for (const key of Object.keys(v)) {
      if (!Object.prototype.hasOwnProperty.call(shape, key)) return `${p}.${key} is not expected`;
    }
    for (const key of keys) {
      const reason = (shape[key] as Schema<unknown>).check((v as Record<string, unknown>)[key], `${p}.${key}`);
      if (reason) return reason;
    }
    return undefined;
  });
}

/** A string-keyed map of values (e.g. AppError detail). */
export function record<T>(value: Schema<T>, options: { maxKeys?: number } = {}): Schema<Record<string, T>> {
  const maxKeys = options.maxKeys ?? 64;
  return schema((v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
    const entries = Object.entries(v);
    if (entries.length > maxKeys) return `${p} has more than ${maxKeys} keys`;
    for (const [k, item] of entries) {
      const reason = value.check(item, `${p}.${k}`);
      if (reason) return reason;
    }
    return undefined;
  });
}

export function union<T extends readonly Schema<unknown>[]>(...members: T): Schema<Infer<T[number]>> {
  return schema((v, p) => {
    const reasons: string[] = [];
    for (const m of members) {
      const reason = m.check(v, p);
      if (!reason) return undefined;
      reasons.push(reason);
    }
    return reasons[0] ?? `${p} matches no variant`;
  });
}

export function validate<T>(s: Schema<T>, value: unknown, what = 'payload'): Result<T, AppErrorJson> {
  const reason = s.check(value, what);
  return reason === undefined
    ? { ok: true, value: value as T }
    : { ok: false, error: { code: 'config/invalid', message: `Refused an invalid ${what}: ${reason}. This is a KubeTray bug; please report it.` } };
}
