// The lock a rebuild's schema swap and the live projector's batches agree on: every batch
// takes it shared for its transaction (before its first write); the swap takes it
// exclusive, so it happens between two batches and the next batch's statements already
// resolve to the new schema.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './readModel/index.ts';

const KEY_SQL = "hashtext('nezuko.projection.swap')";
const KEY = sql.raw(KEY_SQL);

/**
 * Runs a batch's writes in a transaction that holds the swap lock shared, begun in ONE
 * round trip (`begin` and the lock as one simple query). The lock is taken before any
 * statement of the batch resolves a table name, so a swap falls between batches.
 */
export async function inBatchTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(`begin; select pg_advisory_xact_lock_shared(${KEY_SQL})`).execute(conn);
    let result: T;
    try {
      result = await work(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
    await sql`commit`.execute(conn);
    return result;
  });
}

export async function holdSwapLockExclusive(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${KEY})`.execute(trx);
}
