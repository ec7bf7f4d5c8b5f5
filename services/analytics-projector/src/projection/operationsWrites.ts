// Writes for the operational events. API calls arrive with every Telegram request, so
// they are written set-based per batch (log + hourly rollup + per-bot counters); the rest
// are rare and written one statement each.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { histogramAddSql, histogramAggregateSql } from '../readModel/histogram.ts';
import type { Database } from '../readModel/index.ts';
import type { ApiCallRecord, AuditRecord, CommandRecord, Lifecycle } from './operationsRecords.ts';

type Trx = Transaction<Database> | Kysely<Database>;

/** Upsert of one API-call rollup from the CTE `calls` (the calls the log took). */
const apiRollup = (table: string, perChat: boolean) => `
  insert into ${table} as r (bucket, bot_id, group_id, method, ok, count, latency_ms_sum, latency_hist)
  select date_trunc('hour', occurred_at, 'UTC'), bot_id, ${perChat ? 'coalesce(group_id, 0)' : '0'},
         method, ok, count(*), sum(latency_ms), ${histogramAggregateSql('latency_ms')}
    from calls group by 1, 2, 3, 4, 5
  on conflict (bucket, bot_id, group_id, method, ok) do update set
    count = r.count + excluded.count,
    latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
    latency_hist = ${histogramAddSql('r.latency_hist', 'excluded.latency_hist')}`;

// Per chat, and per bot (group_id 0) for charts without a group filter; per-bot counters.
const apiDerived = sql.raw(`
  calls_h1 as (${apiRollup('api_call_hour', true)}),
  calls_h2 as (${apiRollup('api_call_bot_hour', false)}),
  calls_counted as (
    insert into bots as b (bot_id, updated_at, api_calls, api_errors)
    select bot_id, now(), count(*), count(*) filter (where not ok) from calls group by bot_id
    on conflict (bot_id) do update set
      api_calls = b.api_calls + excluded.api_calls,
      api_errors = b.api_errors + excluded.api_errors
  )`);

/**
 * The CTEs that append API calls to their log and rollups; part of a batch statement
 * (batch.ts), like the decisions (verificationBatch.ts).
 */
export function apiCallWrites(records: readonly ApiCallRecord[]): RawBuilder<unknown> {
  return sql`
    calls as (
      insert into api_call_log (stream_seq, occurred_at, bot_id, group_id, method, ok, error_code, latency_ms)
      select * from unnest(
        ${records.map((r) => r.seq)}::bigint[],
        ${records.map((r) => r.occurredAt.toISOString())}::timestamptz[],
        ${records.map((r) => r.botId)}::bigint[], ${records.map((r) => r.chatId)}::bigint[],
        ${records.map((r) => r.method)}::text[], ${records.map((r) => r.ok)}::boolean[],
        ${records.map((r) => r.errorCode)}::integer[], ${records.map((r) => r.latencyMs)}::integer[])
      on conflict do nothing
      returning occurred_at, bot_id, group_id, method, ok, latency_ms
    ),
    ${apiDerived}`;
}

export async function insertAudit(trx: Trx, record: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      stream_seq: record.seq,
      occurred_at: record.occurredAt,
      actor: record.actor,
      action: record.action,
      resource_type: record.resourceType,
      resource_id: record.resourceId,
      details: JSON.stringify(record.details),
    })
    .onConflict((oc) => oc.column('stream_seq').doNothing())
    .execute();
}

/** pending < running < succeeded = failed (one outcome per command). */
const statusRank = (column: string) =>
  sql.raw(`(case ${column} when 'pending' then 0 when 'running' then 1 else 2 end)`);

export async function upsertCommand(trx: Trx, record: CommandRecord): Promise<void> {
  await trx
    .insertInto('admin_commands')
    .values({
      command_id: record.commandId,
      kind: record.kind ?? 'unknown',
      status: record.status,
      actor: record.actor,
      group_id: record.groupId,
      bot_id: record.botId,
      error: record.error,
      requested_at: record.at,
      updated_at: record.at,
    })
    .onConflict((oc) =>
      oc.column('command_id').doUpdateSet((eb) => ({
        // A status can be seen before the request (different subjects); the request fills in.
        kind: record.kind === null ? eb.ref('admin_commands.kind') : eb.ref('excluded.kind'),
        // Statuses only move forward: the gateway's outcome (appended by another service)
        // can land before the command service's "running", which must not undo it.
        status: sql<
          CommandRecord['status']
        >`case when ${statusRank('excluded.status')} > ${statusRank('admin_commands.status')}
          then excluded.status else admin_commands.status end`,
        actor: eb.fn.coalesce('excluded.actor', 'admin_commands.actor'),
        group_id: eb.fn.coalesce('excluded.group_id', 'admin_commands.group_id'),
        bot_id: eb.fn.coalesce('excluded.bot_id', 'admin_commands.bot_id'),
        error: eb.fn.coalesce('excluded.error', 'admin_commands.error'),
        requested_at:
          record.kind === null
            ? eb.ref('admin_commands.requested_at')
            : eb.ref('excluded.requested_at'),
        updated_at: sql<Date>`greatest(excluded.updated_at, admin_commands.updated_at)`,
      })),
    )
    .execute();
}

export async function setGroupSettings(
  trx: Trx,
  groupId: string,
  settings: string,
  at: Date,
): Promise<void> {
  await sql`
    insert into groups (group_id, title, bot_id, created_at, updated_at, settings)
    values (${groupId}, null, null, ${at}, ${at}, ${settings}::jsonb)
    on conflict (group_id) do update set settings = excluded.settings, updated_at = excluded.updated_at
  `.execute(trx);
}

export async function setBotLifecycle(
  trx: Trx,
  botId: string,
  lifecycle: Lifecycle,
  at: Date,
): Promise<void> {
  await sql`
    insert into bots (bot_id, updated_at, lifecycle) values (${botId}, ${at}, ${lifecycle})
    on conflict (bot_id) do update set lifecycle = excluded.lifecycle, updated_at = excluded.updated_at
  `.execute(trx);
}
