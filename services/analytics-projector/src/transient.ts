// Telling "Postgres is briefly unavailable" apart from "this event cannot be applied".
// A projection applies events strictly in stream order, so a transient failure is
// retried in place (holding the consumer) instead of being nak'ed and overtaken by
// later events; anything else is poison and goes to the dead-letter stream at once.
import { PoisonMessageError } from '@nezuko/kit';
import { CheckpointMovedError } from './projection/batch.ts';

// SQLSTATE classes and codes that say "try again": connection exceptions, resource
// shortages, shutdowns, serialization failures, deadlocks, lock and statement timeouts.
const transientClasses = ['08', '53', '57P'];
const transientCodes = new Set(['40001', '40P01', '55P03', '57014']);
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

export function isTransient(error: unknown): boolean {
  if (error instanceof PoisonMessageError) return false;
  // Another writer moved the checkpoint: nothing wrong with the events; read it, go again.
  if (error instanceof CheckpointMovedError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (networkCodes.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code))
      return transientCodes.has(code) || transientClasses.some((c) => code.startsWith(c));
  }
  // pg reports a lost or unobtainable connection without a code.
  return typeof message === 'string' && /connect|terminated|timeout|not queryable/i.test(message);
}

export interface RetryOptions {
  readonly signal: AbortSignal;
  readonly onRetry: (error: unknown, attempt: number, delayMs: number) => void;
  readonly maxDelayMs?: number;
}

/**
 * Runs `work` until it succeeds, retrying transient failures with capped exponential
 * backoff for as long as the signal allows. Permanent failures become poison.
 */
export async function untilApplied<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isTransient(error)) {
        if (error instanceof PoisonMessageError) throw error;
        throw new PoisonMessageError(`cannot apply: ${(error as Error).message}`, { cause: error });
      }
      if (options.signal.aborted) throw error;
      const delayMs = Math.min(options.maxDelayMs ?? 5000, 100 * 2 ** Math.min(attempt, 10));
      options.onRetry(error, attempt, delayMs);
      await abortableSleep(delayMs, options.signal);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
