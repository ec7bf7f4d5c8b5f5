// Read model v6: members first seen per hour, so user growth reads a small rollup.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_growth_hour (bucket timestamptz primary key, new_users bigint not null);
    insert into user_growth_hour
    select date_trunc('hour', first_seen_at, 'UTC'), count(*) from users group by 1;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table user_growth_hour`.execute(db);
}
