/**
 * One sign-in per session key, however many callers wait for it. Each waiter gets the progress
 * (a late joiner gets what was already said, e.g. the device code message), may leave on its own
 * signal, and when the last waiter leaves the sign-in is cancelled (the window closes).
 */
import { AppError } from '../core/app-error.js';
import type { SignInProgress } from '../core/token-request.js';

export interface SignInWaiter {
  onProgress?: (progress: SignInProgress) => void;
  signal?: AbortSignal;
}

interface Running<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: Set<SignInWaiter>;
  said: SignInProgress[];
}

export type SignInStarter<T> = (personSignal: AbortSignal, progress: (p: SignInProgress) => void) => Promise<T>;

export class SharedSignIns<T> {
  private readonly running = new Map<string, Running<T>>();

  constructor(private readonly closing: AbortSignal) {}

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Joins the sign-in for `key`, starting it with `start` when none runs. */
  join(key: string, start: SignInStarter<T>, waiter: SignInWaiter): Promise<T> {
    let run = this.running.get(key);
    if (!run) {
      const controller = new AbortController();
      const onClose = (): void => controller.abort(new AppError('auth/cancelled', 'KubeTray is shutting down: the sign-in was cancelled.'));
      this.closing.addEventListener('abort', onClose, { once: true });
      const created: Running<T> = { promise: undefined as unknown as Promise<T>, controller, waiters: new Set(), said: [] };
      const progress = (p: SignInProgress): void => {
        created.said.push(p);
        for (const w of created.waiters) safeCall(w, p);
      };
      created.promise = (async () => start(controller.signal, progress))();
      const done = (): void => {
        this.closing.removeEventListener('abort', onClose);
        if (this.running.get(key) === created) this.running.delete(key);
      };
      created.promise.then(done, done);
      this.running.set(key, created);
      run = created;
    }
    return this.wait(run, waiter);
  }

  private wait(run: Running<T>, waiter: SignInWaiter): Promise<T> {
    run.waiters.add(waiter);
    for (const p of run.said) safeCall(waiter, p);
    return new Promise<T>((resolve, reject) => {
      const leave = (): void => {
        run.waiters.delete(waiter);
        waiter.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        leave();
        reject(new AppError('auth/cancelled', 'The request was cancelled while waiting for the sign-in.'));
        // Nobody left to sign in for: stop the sign-in (closes the window, stops polling).
        if (run.waiters.size === 0) run.controller.abort(new AppError('auth/cancelled', 'Every caller stopped waiting: the sign-in was cancelled.'));
      };
      if (waiter.signal?.aborted) {
        onAbort();
        return;
      }
      waiter.signal?.addEventListener('abort', onAbort, { once: true });
      run.promise.then(
        (v) => {
          leave();
          resolve(v);
        },
        (e: unknown) => {
          leave();
          reject(e);
        },
      );
    });
  }
}

function safeCall(w: SignInWaiter, p: SignInProgress): void {
  try {
    w.onProgress?.(p);
  } catch {
    // A waiter's broken progress callback must not break the sign-in for the others.
  }
}
