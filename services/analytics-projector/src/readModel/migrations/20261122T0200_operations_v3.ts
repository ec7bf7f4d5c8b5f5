// Read model v3: a bot's lifecycle (enabled / disabled / deleted, from the fleet events).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table bots add column lifecycle text not null default 'enabled'
      check (lifecycle in ('enabled', 'disabled', 'deleted'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table bots drop column lifecycle`.execute(db);
}
