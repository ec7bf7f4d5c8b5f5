// Admin accounts, sessions and settings in the command service's own schema.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create schema if not exists nz_command`.execute(db);
  await sql`
    create table if not exists nz_command.admins (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      role text not null check (role in ('owner', 'admin', 'viewer')),
      password_hash text not null,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db);
  // One live account per address; a deleted one may be created again.
  await sql`create unique index if not exists admins_email_live on nz_command.admins (lower(email)) where deleted_at is null`.execute(
    db,
  );
  await sql`
    create table if not exists nz_command.sessions (
      token_hash bytea primary key,
      admin_id uuid not null references nz_command.admins (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text not null,
      user_agent text not null
    )`.execute(db);
  await sql`create index if not exists sessions_admin on nz_command.sessions (admin_id)`.execute(
    db,
  );
  await sql`
    create table if not exists nz_command.config (
      id integer primary key check (id = 1),
      document jsonb not null,
      version integer not null,
      updated_at timestamptz not null,
      updated_by text not null
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop schema nz_command cascade`.execute(db);
}
