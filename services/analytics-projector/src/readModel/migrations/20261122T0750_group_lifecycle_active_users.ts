// Read model: what happens to a group after it is linked, and active users per bucket.
// - groups.bot_present / bot_left_at: the bot left (group.bot_left); such a group is not
//   protected until a bot links a channel again or a sync sees it.
// - groups.synced_at: when member_count / channel subscriber counts were last read.
// - verification_log.trigger gains 'recheck' (Nezuko looked again on its own).
// - user_activity (granularity, bucket, user_id): who had a decision in each hour / day /
//   week; an insert that adds a row there adds one to active_users for that bucket, so a
//   series reads one counter per bucket, never a distinct count over the log.
import { sql, type Kysely } from 'kysely';

// The v2 rebuild of the log left its check under a generated name (the v1 table held the
// plain one while both existed): found by what it checks, not by name.
const dropTriggerCheck = sql.raw(`
  do $$ declare c text; begin
    for c in select conname from pg_constraint
              where conrelid = 'verification_log'::regclass and contype = 'c'
                and pg_get_constraintdef(oid) like '%trigger%' loop
      execute format('alter table verification_log drop constraint %I', c);
    end loop;
  end $$;`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table groups add column bot_present boolean not null default true;
    alter table groups add column bot_left_at timestamptz;
    alter table groups add column synced_at timestamptz;

    ${dropTriggerCheck}
    alter table verification_log add constraint verification_log_trigger_check
      check (trigger in ('join', 'message', 'verify_button', 'recheck'));

    create table user_activity (
      granularity text not null check (granularity in ('hour', 'day', 'week')),
      bucket      timestamptz not null,
      user_id     bigint not null,
      primary key (granularity, bucket, user_id)
    );
    create table active_users (
      granularity text not null check (granularity in ('hour', 'day', 'week')),
      bucket      timestamptz not null,
      users       bigint not null,
      primary key (granularity, bucket)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table active_users;
    drop table user_activity;
    delete from verification_log where trigger = 'recheck';
    ${dropTriggerCheck}
    alter table verification_log add constraint verification_log_trigger_check
      check (trigger in ('join', 'message', 'verify_button'));
    alter table groups drop column synced_at;
    alter table groups drop column bot_left_at;
    alter table groups drop column bot_present;
  `.execute(db);
}
