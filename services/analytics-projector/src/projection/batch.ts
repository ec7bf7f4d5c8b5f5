// Applies one batch of planned events inside the caller's transaction, in stream order:
// runs of decisions go through the set-based writer, everything else one change at a
// time, and every event (applied, ignored, unknown, dead-lettered) is counted per hour in
// the stream statistics, so those numbers are exactly-once as well.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import {
  ensureMonthPartitions,
  type Database,
  type PartitionCache,
  type ReadModelName,
} from '../readModel/index.ts';
import { applyChange } from './apply.ts';
import { changedModels, type ReadModelChange } from './changes.ts';
import type { VerificationRecord } from './records.ts';
import { decisionWrites } from './verificationBatch.ts';
import type { ApiCallRecord } from './operationsRecords.ts';
import { apiCallWrites } from './operationsWrites.ts';

type Trx = Transaction<Database> | Kysely<Database>;

export type EventResult = 'applied' | 'ignored' | 'unknown' | 'dead_lettered';

/** One event of a batch after decoding and planning. */
export interface PlannedEvent {
  readonly seq: number;
  readonly type: string;
  readonly occurredAt: Date;
  /** null: nothing to write (ignored, unknown or dead-lettered). */
  readonly change: ReadModelChange | null;
  readonly result: EventResult;
}

export interface BatchResult {
  readonly touched: Set<ReadModelName>;
  /** Partitions created (or confirmed) in this transaction: remember them after commit. */
  readonly partitions: string[];
}

/**
 * The checkpoint was not where the batch expected it: another writer moved it (a lost
 * leadership, a swapped-in rebuild). The transaction rolls back; read it and try again.
 */
export class CheckpointMovedError extends Error {
  constructor(projection: string, expected: number) {
    super(`checkpoint of ${projection} is no longer at ${expected}`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * Writes a batch of events after `expected` (the checkpoint it continues from) and moves
 * `projection`'s checkpoint to its last event in the same transaction; returns the read
 * models it changed. Runs of decisions and API calls are written set-based, and the last
 * run shares its statement with the stream statistics and the checkpoint, so a batch of
 * nothing else is one statement. The checkpoint only moves if it still is at `expected`
 * (else CheckpointMovedError): no row lock is needed before the writes.
 */
export async function applyBatch(
  trx: Trx,
  events: readonly PlannedEvent[],
  partitionCache: PartitionCache,
  projection: string,
  expected: number,
): Promise<BatchResult> {
  const touched = new Set<ReadModelName>();
  const partitions = [
    ...(await ensureMonthPartitions(
      trx,
      partitionCache,
      'verification_log',
      events.flatMap((e) =>
        e.change?.kind === 'verification' ? [e.change.record.occurredAt] : [],
      ),
    )),
    ...(await ensureMonthPartitions(
      trx,
      partitionCache,
      'api_call_log',
      events.flatMap((e) => (e.change?.kind === 'api_call' ? [e.change.record.occurredAt] : [])),
    )),
  ];
  // Decisions and API calls touch tables nothing else writes (bar groups/bots rows they
  // only create or count), so each run is written set-based before the next other change.
  let run: VerificationRecord[] = [];
  let calls: ApiCallRecord[] = [];
  const flushRun = async (last: boolean) => {
    const writes: RawBuilder<unknown>[] = [];
    if (run.length > 0) writes.push(decisionWrites(run));
    if (calls.length > 0) writes.push(apiCallWrites(calls));
    if (last) writes.push(countEventsAndAdvance(events, projection, expected));
    run = [];
    calls = [];
    if (writes.length === 0) return;
    const { rows } = await sql<{ advanced: number }>`
      with ${sql.join(writes, sql`, `)}
      select ${last ? sql`(select count(*) from advanced)::int` : sql`0`} as advanced
    `.execute(trx);
    if (last && rows[0]?.advanced !== 1) throw new CheckpointMovedError(projection, expected);
  };
  for (const event of events) {
    const { change } = event;
    if (change === null) continue;
    for (const model of changedModels(change)) touched.add(model);
    if (change.kind === 'verification') {
      run.push(change.record);
      continue;
    }
    if (change.kind === 'api_call') {
      calls.push(change.record);
      continue;
    }
    await flushRun(false);
    await applyChange(trx, change);
  }
  await flushRun(true);
  return { touched, partitions };
}

/** CTEs counting every event in the stream statistics and advancing the checkpoint. */
function countEventsAndAdvance(
  events: readonly PlannedEvent[],
  projection: string,
  expected: number,
): RawBuilder<unknown> {
  const counts = new Map<string, { bucket: Date; type: string; result: string; n: number }>();
  for (const e of events) {
    const bucket = new Date(Math.floor(e.occurredAt.getTime() / 3_600_000) * 3_600_000);
    const key = `${bucket.getTime()}|${e.type}|${e.result}`;
    const row = counts.get(key);
    if (row) row.n += 1;
    else counts.set(key, { bucket, type: e.type, result: e.result, n: 1 });
  }
  const rows = [...counts.values()];
  const last = events[events.length - 1]!;
  return sql`
    stats as (
      insert into event_stats_hour as s (bucket, event_type, result, count)
      select * from unnest(${rows.map((r) => r.bucket.toISOString())}::timestamptz[],
                           ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.result)}::text[],
                           ${rows.map((r) => r.n)}::bigint[])
      on conflict (bucket, event_type, result) do update set count = s.count + excluded.count
    ),
    advanced as (
      update projection_checkpoints set stream_seq = ${last.seq}, updated_at = now()
       where projection = ${projection} and stream_seq = ${expected}
      returning 1
    )`;
}
