import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SingleFlight } from './single-flight.js';
import { SharedSignIns } from './shared-sign-in.js';
import { AppError } from '../core/app-error.js';
import type { SignInProgress } from '../core/token-request.js';

test('concurrent runs with one key share one piece of work; the next run starts fresh', async () => {
  const flights = new SingleFlight<number>();
  let calls = 0;
  let release!: (n: number) => void;
  const work = () => {
    calls += 1;
    return new Promise<number>((r) => (release = r));
  };
  const all = Promise.all([flights.run('k', work), flights.run('k', work), flights.run('k', work)]);
  assert.equal(calls, 1);
  assert.ok(flights.has('k'));
  release(7);
  assert.deepEqual(await all, [7, 7, 7]);
  assert.equal(flights.size, 0);
  const again = flights.run('k', async () => 8);
  assert.equal(await again, 8);
  assert.equal(calls, 1);
});

test('a failure reaches every waiter and is not remembered', async () => {
  const flights = new SingleFlight<number>();
  const boom = () => Promise.reject(new Error('boom'));
  const results = await Promise.allSettled([flights.run('k', boom), flights.run('k', boom)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(await flights.run('k', async () => 1), 1);
});

test('a shared sign-in replays progress to late joiners and survives one waiter leaving', async () => {
  const closing = new AbortController();
  const signIns = new SharedSignIns<string>(closing.signal);
  let finish!: (v: string) => void;
  let person!: AbortSignal;
  let say!: (p: SignInProgress) => void;
  const first: SignInProgress[] = [];
  const late: SignInProgress[] = [];
  const leaver = new AbortController();
  const p1 = signIns.join('s', (signal, progress) => {
    person = signal;
    say = progress;
    return new Promise<string>((r) => (finish = r));
  }, { onProgress: (p) => first.push(p) });
  say({ kind: 'waiting', message: 'sign in please' });
  const p2 = signIns.join('s', () => Promise.reject(new Error('must not start twice')), { onProgress: (p) => late.push(p), signal: leaver.signal });
  const p3 = signIns.join('s', () => Promise.reject(new Error('must not start twice')), {});
  assert.deepEqual(late, first, 'the late joiner heard what was already said');
  leaver.abort();
  await assert.rejects(p2, { code: 'auth/cancelled' });
  assert.equal(person.aborted, false, 'others still wait, so the sign-in goes on');
  finish('token');
  assert.deepEqual(await Promise.all([p1, p3]), ['token', 'token']);
  assert.equal(signIns.isRunning('s'), false);
});

test('when every waiter leaves, the sign-in is cancelled', async () => {
  const signIns = new SharedSignIns<string>(new AbortController().signal);
  const a = new AbortController();
  let person!: AbortSignal;
  const p = signIns.join('s', (signal) => {
    person = signal;
    return new Promise<string>((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  }, { signal: a.signal });
  a.abort();
  await assert.rejects(p, { code: 'auth/cancelled' });
  assert.ok(person.aborted);
  assert.ok(person.reason instanceof AppError);
});

test('closing the broker cancels running sign-ins', async () => {
  const closing = new AbortController();
  const signIns = new SharedSignIns<string>(closing.signal);
  const p = signIns.join('s', (signal) => new Promise<string>((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason))), {});
  closing.abort();
  await assert.rejects(p, /shutting down/);
});
