// Writes for the operational events. API calls arrive with every Telegram request, so
// they are written set-based per batch (log + hourly rollup + per-bot counters); the rest
// are rare and written one statement each.
import { sql, type Kysely, type Transaction } from 'kysely';
import { emptyHistogram, histogramAddSql, latencyBucket } from '../readModel/histogram.ts';
import type { Database } from '../readModel/index.ts';
import type { ApiCallRecord, AuditRecord, CommandRecord, Lifecycle } from './operationsRecords.ts';

type Trx = Transaction<Database> | Kysely<Database>;

const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

export async function recordApiCalls(trx: Trx, records: readonly ApiCallRecord[]): Promise<void> {
  if (records.length === 0) return;
  const inserted = await sql<{ stream_seq: string }>`
    insert into api_call_log (stream_seq, occurred_at, bot_id, group_id, method, ok, error_code, latency_ms)
    select * from unnest(
      ${records.map((r) => r.seq)}::bigint[],
      ${records.map((r) => r.occurredAt.toISOString())}::timestamptz[],
      ${records.map((r) => r.botId)}::bigint[], ${records.map((r) => r.chatId)}::bigint[],
      ${records.map((r) => r.method)}::text[], ${records.map((r) => r.ok)}::boolean[],
      ${records.map((r) => r.errorCode)}::integer[], ${records.map((r) => r.latencyMs)}::integer[])
    on conflict do nothing
    returning stream_seq
  `.execute(trx);
  const seqs = new Set(inserted.rows.map((r) => Number(r.stream_seq)));
  const fresh = records.filter((r) => seqs.has(r.seq));
  const rows = new Map<
    string,
    {
      bucket: Date;
      botId: string;
      groupId: string;
      method: string;
      ok: boolean;
      n: number;
      sum: number;
      hist: number[];
    }
  >();
  const perBot = new Map<string, { calls: number; errors: number }>();
  for (const r of fresh) {
    const bucket = hourOf(r.occurredAt);
    const groupId = r.chatId ?? '0';
    const key = `${bucket.getTime()}|${r.botId}|${groupId}|${r.method}|${r.ok}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        bucket,
        botId: r.botId,
        groupId,
        method: r.method,
        ok: r.ok,
        n: 0,
        sum: 0,
        hist: emptyHistogram(),
      };
      rows.set(key, row);
    }
    row.n += 1;
    row.sum += r.latencyMs;
    row.hist[latencyBucket(r.latencyMs)]! += 1;
    const bot = perBot.get(r.botId) ?? { calls: 0, errors: 0 };
    bot.calls += 1;
    bot.errors += r.ok ? 0 : 1;
    perBot.set(r.botId, bot);
  }
  if (rows.size === 0) return;
  // Per chat, and per bot (group_id 0) for charts without a group filter.
  const perChat = [...rows.values()];
  const perBotRows = new Map<string, (typeof perChat)[number]>();
  for (const row of perChat) {
    const key = `${row.bucket.getTime()}|${row.botId}|${row.method}|${row.ok}`;
    const sum = perBotRows.get(key);
    if (!sum) perBotRows.set(key, { ...row, groupId: '0', hist: [...row.hist] });
    else {
      sum.n += row.n;
      sum.sum += row.sum;
      row.hist.forEach((n, i) => (sum.hist[i] = (sum.hist[i] ?? 0) + n));
    }
  }
  await upsertApiRollup(trx, 'api_call_hour', perChat);
  await upsertApiRollup(trx, 'api_call_bot_hour', [...perBotRows.values()]);
  const bots = [...perBot.entries()];
  await sql`
    insert into bots as b (bot_id, updated_at, api_calls, api_errors)
    select id, now(), c, e from unnest(${bots.map(([id]) => id)}::bigint[],
      ${bots.map(([, v]) => v.calls)}::bigint[], ${bots.map(([, v]) => v.errors)}::bigint[]) as x(id, c, e)
    on conflict (bot_id) do update set
      api_calls = b.api_calls + excluded.api_calls,
      api_errors = b.api_errors + excluded.api_errors
  `.execute(trx);
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
        status: record.kind === null ? eb.ref('excluded.status') : eb.ref('admin_commands.status'),
        actor: eb.fn.coalesce('excluded.actor', 'admin_commands.actor'),
        group_id: eb.fn.coalesce('excluded.group_id', 'admin_commands.group_id'),
        bot_id: eb.fn.coalesce('excluded.bot_id', 'admin_commands.bot_id'),
        error: eb.fn.coalesce('excluded.error', 'admin_commands.error'),
        requested_at:
          record.kind === null
            ? eb.ref('admin_commands.requested_at')
            : eb.ref('excluded.requested_at'),
        updated_at: eb.ref('excluded.updated_at'),
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

interface ApiRollupRow {
  bucket: Date;
  botId: string;
  groupId: string;
  method: string;
  ok: boolean;
  n: number;
  sum: number;
  hist: number[];
}

async function upsertApiRollup(
  trx: Trx,
  table: 'api_call_hour' | 'api_call_bot_hour',
  list: readonly ApiRollupRow[],
): Promise<void> {
  if (list.length === 0) return;
  await sql`
    insert into ${sql.table(table)} as r
      (bucket, bot_id, group_id, method, ok, count, latency_ms_sum, latency_hist)
    select k, b, g, m, o, n, s, h::bigint[] from unnest(
      ${list.map((r) => r.bucket.toISOString())}::timestamptz[], ${list.map((r) => r.botId)}::bigint[],
      ${list.map((r) => r.groupId)}::bigint[],
      ${list.map((r) => r.method)}::text[], ${list.map((r) => r.ok)}::boolean[],
      ${list.map((r) => r.n)}::bigint[], ${list.map((r) => r.sum)}::bigint[],
      ${list.map((r) => pgArray(r.hist.map(String)))}::text[]) as x(k, b, g, m, o, n, s, h)
    on conflict (bucket, bot_id, group_id, method, ok) do update set
      count = r.count + excluded.count,
      latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
      latency_hist = ${sql.raw(histogramAddSql('r.latency_hist', 'excluded.latency_hist'))}
  `.execute(trx);
}
