// Month partitions of the append-only logs (verification_log, api_call_log). A batch
// creates the partitions its events need inside its own transaction; retention drops
// whole partitions (instant, no vacuum debt) instead of deleting rows.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type PartitionedLog = 'verification_log' | 'api_call_log';

/** The first instant (UTC) of the month holding `at`. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

function partitionName(table: PartitionedLog, month: Date): string {
  const mm = String(month.getUTCMonth() + 1).padStart(2, '0');
  return `${table}_${month.getUTCFullYear()}_${mm}`;
}

/**
 * Partitions known to exist. A batch asks for the months it needs inside its transaction
 * and the names are remembered only after that transaction commits (`remember`), so a
 * rolled-back create is issued again rather than assumed.
 */
export interface PartitionCache {
  missing(table: PartitionedLog, times: Iterable<Date>): Map<string, Date>;
  remember(names: Iterable<string>): void;
  clear(): void;
}

export function createPartitionCache(): PartitionCache {
  const seen = new Set<string>();
  return {
    missing(table, times) {
      const months = new Map<string, Date>();
      for (const at of times) {
        const month = monthStart(at);
        const name = partitionName(table, month);
        if (!seen.has(name) && !months.has(name)) months.set(name, month);
      }
      return months;
    },
    remember(names) {
      for (const name of names) seen.add(name);
    },
    clear: () => seen.clear(),
  };
}

/** Creates the month partitions `table` needs for `times`; returns the names ensured. */
export async function ensureMonthPartitions(
  db: Db,
  cache: PartitionCache,
  table: PartitionedLog,
  times: Iterable<Date>,
): Promise<string[]> {
  const months = cache.missing(table, times);
  for (const [name, month] of months) {
    const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    await sql`
      create table if not exists ${sql.id(name)} partition of ${sql.id(table)}
      for values from (${sql.lit(month.toISOString())}) to (${sql.lit(next.toISOString())})
    `.execute(db);
  }
  return [...months.keys()];
}

/** Drops the partitions whose whole month lies before `cutoff`; returns their names. */
export async function dropPartitionsBefore(
  db: Db,
  table: PartitionedLog,
  cutoff: Date,
): Promise<string[]> {
  const { rows } = await sql<{ name: string; upper: string }>`
    select c.relname as name,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1] as upper
      from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
     where i.inhparent = ${table}::regclass
  `.execute(db);
  const dropped: string[] = [];
  for (const { name, upper } of rows) {
    if (upper && new Date(upper) <= cutoff) {
      await sql`drop table ${sql.id(name)}`.execute(db);
      dropped.push(name);
    }
  }
  return dropped;
}
