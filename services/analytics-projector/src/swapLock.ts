// The lock a rebuild's schema swap and the live projector's batches agree on: every batch
// takes it shared for its transaction; the swap takes it exclusive, so it happens between
// two batches and the next batch's statements already resolve to the new schema.
import { sql, type Transaction } from 'kysely';
import type { Database } from './readModel/index.ts';

const KEY = sql`hashtext('nezuko.projection.swap')`;

export async function holdSwapLockShared(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${KEY})`.execute(trx);
}

export async function holdSwapLockExclusive(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${KEY})`.execute(trx);
}
