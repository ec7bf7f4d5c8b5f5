// Sign-in attempts per address and time window, shared by every command replica, so the
// per-address limit holds however many replicas a guesser's requests are spread over.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table if not exists nz_command.login_ip_attempts (
      ip text not null,
      window_start timestamptz not null,
      attempts integer not null,
      primary key (ip, window_start)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table nz_command.login_ip_attempts`.execute(db);
}
