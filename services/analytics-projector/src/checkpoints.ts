// How far each projection has applied the event stream. The checkpoint moves in the same
// transaction as the projection's writes (applyBatch advances it with the stream
// statistics), so "applied" and "recorded as applied" can never disagree, whatever
// happens to the process or to the ack.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './readModel/index.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function ensureCheckpoint(db: Db, projection: string): Promise<void> {
  await db
    .insertInto('projection_checkpoints')
    .values({ projection, stream_seq: 0 })
    .onConflict((oc) => oc.column('projection').doNothing())
    .execute();
}

export async function readCheckpoint(db: Db, projection: string): Promise<number> {
  const row = await db
    .selectFrom('projection_checkpoints')
    .select('stream_seq')
    .where('projection', '=', projection)
    .executeTakeFirst();
  return Number(row?.stream_seq ?? 0);
}
