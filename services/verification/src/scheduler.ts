// Work due later (delete a reply or a prompt, escalate an unverified member, post the
// "under attack" summary), kept in one Redis sorted set `<p>:due` scored by the due time
// in ms, so it survives restarts and any replica can run it. A tick takes what is due,
// hands each job to the handler, and removes it only after the handler succeeded: a job
// whose handler failed runs again on the next tick. Jobs carry deterministic ids, so two
// replicas running the same job publish the same message ids and JetStream keeps one.
import type { Logger } from '@nezuko/kit';
import type { Redis } from 'ioredis';
import { keyPrefix } from './membershipCache.ts';

export type Job =
  | {
      readonly kind: 'delete';
      readonly id: string;
      readonly botId: string;
      readonly chatId: string;
      readonly messageId: string;
    }
  | {
      readonly kind: 'verify_timeout';
      readonly id: string;
      readonly groupId: string;
      readonly userId: string;
      /** The event whose prompt must still stand for the timeout to apply. */
      readonly promptEventId: string;
    }
  | { readonly kind: 'attack_summary'; readonly id: string; readonly groupId: string };

export interface Scheduler {
  schedule(job: Job, dueAtMs: number): Promise<void>;
  /** Runs what is due at `nowMs` (at most `limit` jobs); returns how many ran. */
  runDue(nowMs: number, limit?: number): Promise<number>;
  start(tickMs: number): void;
  stop(): Promise<void>;
  key: string;
}

export function createScheduler(
  redis: Redis,
  namespace: string,
  handle: (job: Job) => Promise<void>,
  logger: Logger,
  clock: () => number = Date.now,
): Scheduler {
  const key = `${keyPrefix(namespace)}:due`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const runDue = async (nowMs: number, limit = 200) => {
    const due = await redis.zrangebyscore(key, '-inf', nowMs, 'LIMIT', 0, limit);
    let ran = 0;
    for (const raw of due) {
      try {
        await handle(JSON.parse(raw) as Job);
        await redis.zrem(key, raw);
        ran += 1;
      } catch (error) {
        logger.warn({ err: error, job: raw }, 'scheduled job failed; it runs again next tick');
      }
    }
    return ran;
  };

  return {
    key,
    async schedule(job, dueAtMs) {
      await redis.zadd(key, dueAtMs, JSON.stringify(job));
    },
    runDue,
    start(tickMs) {
      const tick = () => {
        running = runDue(clock())
          .catch((error: unknown) => logger.warn({ err: error }, 'scheduler tick failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, tickMs);
          });
      };
      timer = setTimeout(tick, tickMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
