// The command service's Postgres: its own schema (nz_command), migrated at start.
// Migrations are compiled in (no directory scanning); kysely's migrator takes a lock so
// several replicas starting together migrate once.
import { Kysely, Migrator, PostgresDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import * as accountsV1 from './migrations/20261122T0300_accounts.ts';
import * as telegramLogin from './migrations/20261122T0400_telegram_login.ts';
import * as loginIpAttempts from './migrations/20261122T0500_login_ip_attempts.ts';
import type { CommandDatabase } from './schema.ts';

const migrations: Record<string, Migration> = {
  '20261122T0300_accounts': accountsV1,
  '20261122T0400_telegram_login': telegramLogin,
  '20261122T0500_login_ip_attempts': loginIpAttempts,
};

export interface CommandDb {
  readonly db: Kysely<CommandDatabase>;
  /** The same pool, for the session verifier. */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export function createCommandDb(url: string): CommandDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: 'nezuko-command',
    connectionTimeoutMillis: 5000,
  });
  // A dropped idle connection (Postgres restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<CommandDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, close: () => db.destroy() };
}

export async function migrateCommandDb(db: Kysely<CommandDatabase>): Promise<void> {
  await sql`create schema if not exists nz_command`.execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    // Own table names: kysely looks for its tables by name in any schema, so the default
    // names would make the projector's migrator (same database, public schema) think its
    // tables exist once these do.
    migrationTableSchema: 'nz_command',
    migrationTableName: 'nz_command_migration',
    migrationLockTableName: 'nz_command_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
}

export function commandDbReady(db: Kysely<CommandDatabase>): () => Promise<boolean> {
  return async () => {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), 1000).unref(),
    );
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return true;
  };
}
