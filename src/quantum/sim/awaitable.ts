/**
 * Code that runs the same whether the state it drives answers at once (CPU backends) or later (the GPU, whose
 * reductions and read-backs are awaited). Such code is written once as a generator that hands every answer of the
 * state to `yield* settle(value)`: a plain value comes straight back without yielding, a promise is yielded to the
 * driver. `runSync` drives a generator that must never yield (no allocation of promises, no trip through the
 * microtask queue: the CPU fast path); `runAsync` awaits each yielded promise and resumes with its value, or
 * throws its rejection into the generator so that its `finally` blocks release what they hold.
 */
import { MamlError } from '../../shared/errors.js';

/** A value now, or a promise of it. */
export type Awaitable<T> = T | PromiseLike<T>;

/** The generator form of code written once for both: yields only promises, resumes with their values. */
export type Steps<T> = Generator<PromiseLike<unknown>, T, unknown>;

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The value of `value`: returned at once when it is plain, after the driver awaited it when it is a promise. */
export function* settle<T>(value: Awaitable<T>): Steps<T> {
  if (!isThenable(value)) return value;
  return (yield value) as T;
}

/**
 * `next(value of first)`, synchronously when `first` is a plain value. For short chains inside a step, where a
 * generator per call would cost more than the work on a small state.
 */
export function andThen<T, U>(first: Awaitable<T>, next: (value: T) => Awaitable<U>): Awaitable<U> {
  return isThenable(first) ? Promise.resolve(first).then(next) : next(first);
}

/** Runs steps that are all synchronous; a step that returns a promise is a programming error. */
export function runSync<T>(steps: Steps<T>): T {
  const first = steps.next();
  if (first.done) return first.value;
  void Promise.resolve(first.value).then(undefined, () => undefined);
  steps.return(undefined as never);
  throw new MamlError('internal', 'a simulator state answered asynchronously; run it with the asynchronous engine');
}

/** Runs steps that may await, resuming the generator with each settled value (or throwing each rejection in). */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    let failed = false;
    try {
      value = await next.value;
    } catch (error) {
      failed = true;
      value = error;
    }
    next = failed ? steps.throw(value) : steps.next(value);
  }
  return next.value;
}
