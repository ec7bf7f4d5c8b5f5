// The Postgres connection for the read model. Type parsing is set per pool (not globally
// on the pg module) so this library never changes how other code in the process reads
// Postgres: DATE stays a 'YYYY-MM-DD' string because a UTC day must not shift with the
// process time zone.
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

const DATE_OID = 1082;

const defaultTypeParser = pg.types.getTypeParser as (
  oid: number,
  format?: 'text' | 'binary',
) => unknown;
const readModelTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === DATE_OID
    ? (value: string) => value
    : defaultTypeParser(oid, format)) as typeof pg.types.getTypeParser;

export interface ReadModelDbOptions {
  /** Pool size; the projector needs few, the read API more. */
  readonly maxConnections?: number;
  readonly applicationName?: string;
  /** Resolve unqualified names in this schema only (a rebuild's shadow schema). */
  readonly searchPath?: string;
  /** Sees every query with its duration (the projector benchmark's profile). */
  readonly log?: (event: LogEvent) => void;
}

export function createReadModelDb(url: string, options: ReadModelDbOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'nezuko',
    connectionTimeoutMillis: 5000,
    // Every read-model statement is short: JIT compiling it costs more than it saves (it
    // kicked in on the projector's batch statement and took a fifth of its throughput).
    options: [
      '-c jit=off',
      ...(options.searchPath ? [`-c search_path=${options.searchPath}`] : []),
    ].join(' '),
    types: { getTypeParser: readModelTypeParser },
  });
  // An idle client losing its connection (Postgres restart) must not crash the process;
  // the next query gets a fresh connection.
  pool.on('error', () => undefined);
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(options.log ? { log: options.log } : {}),
  });
}

/** Readiness: Postgres answers a trivial query within a second. */
export function readModelReady(db: Kysely<Database>): () => Promise<boolean> {
  return async () => {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), 1000).unref(),
    );
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return true;
  };
}
