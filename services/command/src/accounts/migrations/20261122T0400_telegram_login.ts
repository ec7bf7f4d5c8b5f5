// Owners may sign in with the Telegram Login Widget: their account names their Telegram id.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table nz_command.admins add column if not exists telegram_user_id bigint`.execute(
    db,
  );
  await sql`create unique index if not exists admins_telegram_live on nz_command.admins (telegram_user_id) where deleted_at is null and telegram_user_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table nz_command.admins drop column telegram_user_id`.execute(db);
}
