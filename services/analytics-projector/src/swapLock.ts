// The lock a rebuild's schema swap and the live projector's batches agree on: every batch
// takes it shared for its transaction; the swap takes it exclusive, so it happens between
// two batches and the next batch's statements already resolve to the new schema.
import { sql, type Transaction } from 'kysely';
import type { Database } from './readModel/index.ts';

const KEY = sql`hashtext('nezuko.projection.swap')`;

/**
 * A batch's first statement: the swap lock shared and the projection's checkpoint row
 * locked (FOR UPDATE) in one round trip; returns the checkpoint.
 */
export async function holdSwapLockAndCheckpoint(
  trx: Transaction<Database>,
  projection: string,
): Promise<number> {
  const { rows } = await sql<{ stream_seq: string }>`
    select c.stream_seq
      from (select pg_advisory_xact_lock_shared(${KEY})) as swap, projection_checkpoints c
     where c.projection = ${projection}
       for update of c
  `.execute(trx);
  return Number(rows[0]?.stream_seq ?? 0);
}

export async function holdSwapLockExclusive(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${KEY})`.execute(trx);
}
