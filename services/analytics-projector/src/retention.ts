// Retention of the read model's tables that grow with every decision and that no chart
// needs for long: the raw verification log (the activity feed; charts read the rollups)
// loses whole month partitions, and with the same cut-off the member-days behind the
// active-user counters (the counters stay); the minute rollup (nothing reads it past the
// recent minutes) loses old rows. Run by the leader on a schedule; 0 days keeps everything.
import type { Logger } from '@nezuko/kit';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { utcDay } from './projection/records.ts';
import { dropPartitionsBefore, type Database } from './readModel/index.ts';

export interface RetentionPolicy {
  /**
   * Month partitions of verification_log wholly older than this are dropped, user_days
   * rows older than this deleted (0: keep).
   */
  readonly verificationLogDays: number;
  /** verification_bot_minute rows older than this are deleted (0: keep). */
  readonly minuteRollupDays: number;
}

export interface RetentionResult {
  readonly droppedPartitions: string[];
  readonly minuteRowsDeleted: number;
  readonly userDaysDeleted: number;
}

const DAY = 86_400_000;
/** Rows deleted per statement: short transactions next to the projector's batches. */
const CHUNK = 10_000;

export async function applyRetention(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
): Promise<RetentionResult> {
  const droppedPartitions =
    policy.verificationLogDays > 0
      ? await dropPartitionsBefore(
          db,
          'verification_log',
          new Date(now.getTime() - policy.verificationLogDays * DAY),
        )
      : [];
  // The minute rollup's key leads with the bucket, so each chunk is an index range;
  // user_days rows are written in time order, so old ones sit at the start of the heap.
  const minuteRowsDeleted =
    policy.minuteRollupDays > 0
      ? await deleteInChunks(
          db,
          'verification_bot_minute',
          sql`bucket < ${new Date(now.getTime() - policy.minuteRollupDays * DAY)}`,
        )
      : 0;
  const userDaysDeleted =
    policy.verificationLogDays > 0
      ? await deleteInChunks(
          db,
          'user_days',
          sql`day < ${utcDay(new Date(now.getTime() - policy.verificationLogDays * DAY))}::date`,
        )
      : 0;
  return { droppedPartitions, minuteRowsDeleted, userDaysDeleted };
}

async function deleteInChunks(
  db: Kysely<Database>,
  table: 'verification_bot_minute' | 'user_days',
  older: RawBuilder<unknown>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from ${sql.table(table)}
       where ctid = any(array(select ctid from ${sql.table(table)} where ${older} limit ${CHUNK}))
    `.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0);
    total += deleted;
    if (deleted < CHUNK) return total;
  }
}

export interface RetentionSchedule {
  stop(): Promise<void>;
}

/**
 * Applies the policy now and then every `everyMs`; failures are logged and retried next time.
 * A function policy is read at each run (operator settings change it without a restart).
 */
export function scheduleRetention(
  db: Kysely<Database>,
  policy: RetentionPolicy | (() => RetentionPolicy),
  options: { logger: Logger; everyMs: number; now?: () => Date },
): RetentionSchedule {
  const log = options.logger.child({ task: 'retention' });
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const current = typeof policy === 'function' ? policy : () => policy;
  const run = () => {
    running = applyRetention(db, current(), options.now?.() ?? new Date())
      .then((result) => {
        if (
          result.droppedPartitions.length > 0 ||
          result.minuteRowsDeleted > 0 ||
          result.userDaysDeleted > 0
        ) {
          log.info(result, 'retention applied');
        }
      })
      .catch((error: unknown) => log.warn({ err: error }, 'retention failed; retrying later'))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, options.everyMs);
      });
  };
  const initial = current();
  if (
    typeof policy === 'function' ||
    initial.verificationLogDays > 0 ||
    initial.minuteRollupDays > 0
  )
    run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
