// Read model v7: fewer indexes on the verification log, the projector's hottest insert.
// The primary key (stream_seq, occurred_at) already serves newest-first scans, and no
// read scans the log by time any more (charts read rollups; retention drops partitions).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index verification_log_by_seq;
    drop index verification_log_by_time;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index verification_log_by_seq on verification_log (stream_seq desc);
    create index verification_log_by_time on verification_log (occurred_at);
  `.execute(db);
}
