// Read model v4: the members the gate has decided on (first/last seen, decisions), so
// "new users" and "active users" per period read an indexed table instead of counting
// distinct users over the log; API-call rollups gain the group (chat) dimension so every
// chart filters by group.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table users (
      user_id       bigint primary key,
      username      text,
      first_name    text,
      first_seen_at timestamptz not null,
      last_seen_at  timestamptz not null,
      decisions     bigint not null,
      last_outcome  text not null
    );
    create index users_by_first_seen on users (first_seen_at);
    create index users_by_last_seen on users (last_seen_at);

    alter table api_call_hour add column group_id bigint not null default 0;
    alter table api_call_hour drop constraint api_call_hour_pkey;
    alter table api_call_hour add primary key (bucket, bot_id, group_id, method, ok);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table users;
    delete from api_call_hour where group_id <> 0;
    alter table api_call_hour drop constraint api_call_hour_pkey;
    alter table api_call_hour drop column group_id;
    alter table api_call_hour add primary key (bucket, bot_id, method, ok);
  `.execute(db);
}
