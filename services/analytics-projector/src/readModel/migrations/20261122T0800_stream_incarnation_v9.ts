// Read model v9: a checkpoint names the stream it counts in. Sequences restart at 1 when
// NZ_EVENTS is deleted and created again; the creation time tells the two apart, so a
// projector refuses a stream its checkpoint does not belong to instead of skipping events.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table projection_checkpoints add column stream_created text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table projection_checkpoints drop column stream_created`.execute(db);
}
