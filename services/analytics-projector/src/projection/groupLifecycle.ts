// What happens to a group after it is linked: a sync reads its title and counts fresh from
// Telegram, the bot leaves it, Telegram migrates it to a supergroup, and its channels'
// subscribers come and go. Planning (pure) and the writes, inside the batch's transaction.
//
// A migration MOVES the group: every row keyed by the basic group's id (the group, its
// links, the decision log, the verification and API-call rollups) is carried over to the
// supergroup id, merged with whatever already arrived under the new id, and the old id
// disappears, so the group page shows one group with its whole history. The admin command
// queue and the audit trail are left under the id they were written for: they record what
// was asked at the time. The decision log and the minute/hour/day rollups are found
// through their group indexes; the API-call log, api_call_hour and the per-group totals
// have none (kept off the hot insert path), so a migration scans them once, which a
// once-per-group event can afford.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { EventOf } from '@nezuko/proto';
import type { Database } from '../readModel/index.ts';
import { histogramAddSql } from '../readModel/histogram.ts';
import { requireId, type EventMeta } from './records.ts';

type Trx = Transaction<Database> | Kysely<Database>;

export interface GroupSyncRecord {
  readonly groupId: string;
  readonly botId: string | null;
  readonly title: string | null;
  readonly memberCount: number;
  /** Only the channels Telegram answered for: a failed look-up keeps the last count. */
  readonly channels: readonly { channelId: string; title: string | null; subscribers: number }[];
  readonly at: Date;
}

export interface GroupMigration {
  readonly groupId: string;
  readonly newGroupId: string;
  readonly botId: string | null;
  readonly at: Date;
}

export function toGroupSync(event: EventOf<'group.synced'>, meta: EventMeta): GroupSyncRecord {
  requireId('group_id', event.groupId);
  return {
    groupId: event.groupId,
    botId: event.botId === '0' ? null : event.botId,
    title: event.title === '' ? null : event.title,
    memberCount: event.memberCount,
    channels: event.channels
      .filter((c) => c.error === '' && c.channelId !== '0')
      .map((c) => ({
        channelId: c.channelId,
        title: c.title === '' ? null : c.title,
        subscribers: c.subscriberCount,
      })),
    at: meta.occurredAt,
  };
}

export function toGroupMigration(
  event: EventOf<'group.migrated'>,
  meta: EventMeta,
): GroupMigration {
  requireId('group_id', event.groupId);
  requireId('new_group_id', event.newGroupId);
  return {
    groupId: event.groupId,
    newGroupId: event.newGroupId,
    botId: event.botId === '0' ? null : event.botId,
    at: meta.occurredAt,
  };
}

// The statuses Telegram reports for someone subscribed to a channel, as verification reads
// them; 'restricted' still counts (a restricted member is a member).
const subscribedStatuses = new Set(['creator', 'administrator', 'member', 'restricted']);

/**
 * A channel membership change as a subscriber delta: +1 joined, -1 left, 0 when the
 * change kept them on the same side (promoted, restricted, or a repeated report).
 */
export function subscriberDelta(event: EventOf<'channel.member_changed'>): -1 | 0 | 1 {
  requireId('channel_id', event.channelId);
  const before = subscribedStatuses.has(event.oldStatus);
  const after = subscribedStatuses.has(event.newStatus);
  if (before === after) return 0;
  return after ? 1 : -1;
}

export async function applyGroupSync(trx: Trx, sync: GroupSyncRecord): Promise<void> {
  await sql`
    insert into groups as g (group_id, title, bot_id, created_at, updated_at, member_count, bot_present, synced_at)
    values (${sync.groupId}, ${sync.title}, ${sync.botId}, ${sync.at}, ${sync.at}, ${sync.memberCount}, true, ${sync.at})
    on conflict (group_id) do update set
      title = coalesce(excluded.title, g.title),
      bot_id = coalesce(excluded.bot_id, g.bot_id),
      member_count = excluded.member_count,
      bot_present = true,
      bot_left_at = null,
      synced_at = excluded.synced_at,
      updated_at = excluded.updated_at
  `.execute(trx);
  if (sync.channels.length === 0) return;
  await sql`
    insert into channels as c (channel_id, title, username, invite_link, updated_at, subscriber_count)
    select id, title, null, null, ${sync.at}, n
      from unnest(${sync.channels.map((c) => c.channelId)}::bigint[],
                  ${sync.channels.map((c) => c.title)}::text[],
                  ${sync.channels.map((c) => c.subscribers)}::integer[]) as s(id, title, n)
    on conflict (channel_id) do update set
      title = coalesce(excluded.title, c.title),
      subscriber_count = excluded.subscriber_count,
      updated_at = excluded.updated_at
  `.execute(trx);
}

export async function markBotLeft(
  trx: Trx,
  groupId: string,
  botId: string | null,
  at: Date,
): Promise<void> {
  // Only the bot that serves the group leaving takes it out of protection.
  await sql`
    update groups set bot_present = false, bot_left_at = ${at}, updated_at = ${at}
     where group_id = ${groupId} and (${botId}::bigint is null or bot_id is null or bot_id = ${botId})
  `.execute(trx);
}

/** A known subscriber count follows joins and leaves; an unknown one waits for a sync. */
export async function shiftSubscribers(
  trx: Trx,
  channelId: string,
  delta: -1 | 1,
  at: Date,
): Promise<void> {
  await sql`
    update channels set subscriber_count = greatest(subscriber_count + ${delta}, 0), updated_at = ${at}
     where channel_id = ${channelId} and subscriber_count is not null
  `.execute(trx);
}

export async function moveMigratedGroup(trx: Trx, m: GroupMigration): Promise<void> {
  const from = m.groupId;
  const to = m.newGroupId;
  // The new id may already exist (a decision under it was projected first): it keeps what
  // it knows and takes the rest, including the configuration, from the old row.
  const moved = await sql`
    insert into groups as g (group_id, title, enabled, bot_id, created_at, updated_at, settings,
                             member_count, bot_present, bot_left_at, synced_at)
    select ${to}, title, enabled, coalesce(${m.botId}, bot_id), created_at, ${m.at}, settings,
           member_count, bot_present, bot_left_at, synced_at
      from groups where group_id = ${from}
    on conflict (group_id) do update set
      title = coalesce(g.title, excluded.title),
      enabled = excluded.enabled,
      bot_id = coalesce(g.bot_id, excluded.bot_id),
      created_at = least(g.created_at, excluded.created_at),
      settings = case when g.settings = '{}'::jsonb then excluded.settings else g.settings end,
      member_count = coalesce(g.member_count, excluded.member_count),
      synced_at = greatest(g.synced_at, excluded.synced_at),
      updated_at = excluded.updated_at
  `.execute(trx);
  if (moved.numAffectedRows === 0n) return;
  await sql`
    insert into group_channels (group_id, channel_id, linked_at)
    select ${to}, channel_id, linked_at from group_channels where group_id = ${from}
    on conflict (group_id, channel_id) do nothing;
  `.execute(trx);
  await sql`delete from group_channels where group_id = ${from}`.execute(trx);
  await sql`update verification_log set group_id = ${to} where group_id = ${from}`.execute(trx);
  await sql`update api_call_log set group_id = ${to} where group_id = ${from}`.execute(trx);
  await sql`
      with old as (delete from verification_hour where group_id = ${from} returning *)
      insert into verification_hour as r
        (bucket, group_id, bot_id, outcome, cached, count, latency_ms_sum, latency_ms_max, latency_hist)
      select bucket, ${to}, bot_id, outcome, cached, count, latency_ms_sum, latency_ms_max, latency_hist
        from old
      on conflict (bucket, group_id, bot_id, outcome, cached) do update set
        count = r.count + excluded.count,
        latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
        latency_ms_max = greatest(r.latency_ms_max, excluded.latency_ms_max),
        latency_hist = ${sql.raw(histogramAddSql('r.latency_hist', 'excluded.latency_hist'))}
    `.execute(trx);
  for (const table of ['verification_group_hour', 'verification_group_day'] as const) {
    await sql`
      with old as (delete from ${sql.table(table)} where group_id = ${from} returning *)
      insert into ${sql.table(table)} as t (bucket, group_id, bot_id, count, verified, restricted, cached)
      select bucket, ${to}, bot_id, count, verified, restricted, cached from old
      on conflict (bucket, group_id, bot_id) do update set
        count = t.count + excluded.count, verified = t.verified + excluded.verified,
        restricted = t.restricted + excluded.restricted, cached = t.cached + excluded.cached
    `.execute(trx);
  }
  await sql`
    with old as (delete from api_call_hour where group_id = ${from} returning *)
    insert into api_call_hour as a (bucket, bot_id, group_id, method, ok, count, latency_ms_sum, latency_hist)
    select bucket, bot_id, ${to}, method, ok, count, latency_ms_sum, latency_hist from old
    on conflict (bucket, bot_id, group_id, method, ok) do update set
      count = a.count + excluded.count,
      latency_ms_sum = a.latency_ms_sum + excluded.latency_ms_sum,
      latency_hist = ${sql.raw(histogramAddSql('a.latency_hist', 'excluded.latency_hist'))}
  `.execute(trx);
  await sql`delete from groups where group_id = ${from}`.execute(trx);
}
