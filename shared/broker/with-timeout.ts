/**
 * Waiting with limits.
 * - withTimeout: network work under `--timeout` (and the broker's close signal). The work gets a
 *   signal to stop early; the caller gets auth/timeout when time runs out, even if the work
 *   ignores it. Not for a person's sign-in: that is theirs to take.
 * - leaveOnAbort: one waiter of shared work leaves when its own signal aborts.
 */
import { AppError } from '../core/app-error.js';

export function withTimeout<T>(ms: number, outer: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const fail = (e: AppError): void => {
      cleanup();
      controller.abort(e);
      reject(e);
    };
    const onOuter = (): void => fail(outer.reason instanceof AppError ? outer.reason : new AppError('auth/cancelled', 'The request was cancelled.'));
    const timer = setTimeout(
      () => fail(new AppError('auth/timeout', `Entra ID did not answer within ${Math.round(ms / 1000)} s (--timeout): check the network, or raise --timeout.`)),
      ms,
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuter);
    };
    if (outer.aborted) {
      onOuter();
      return;
    }
    outer.addEventListener('abort', onOuter, { once: true });
    work(controller.signal).then(
      (v) => {
        cleanup();
        resolve(v);
      },
      (e: unknown) => {
        cleanup();
        reject(e);
      },
    );
  });
}

/** A caller that goes away (its signal aborts) stops waiting; the shared work goes on for others. */
export function leaveOnAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AppError('auth/cancelled', 'The request was cancelled.'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
