// The read model's write queries. Each takes the transaction first; the projector calls
// them inside the one transaction that also advances the checkpoint.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../readModel/index.ts';
import type { BotStatusRecord, ChannelLink, VerificationRecord } from './records.ts';

type Trx = Transaction<Database> | Kysely<Database>;

export async function upsertLinkedChannel(trx: Trx, link: ChannelLink): Promise<void> {
  await trx
    .insertInto('groups')
    .values({
      group_id: link.groupId,
      title: link.groupTitle,
      bot_id: link.botId,
      created_at: link.at,
      updated_at: link.at,
    })
    .onConflict((oc) =>
      oc.column('group_id').doUpdateSet((eb) => ({
        title: eb.fn.coalesce('excluded.title', 'groups.title'),
        bot_id: eb.fn.coalesce('excluded.bot_id', 'groups.bot_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  const { channel } = link;
  await trx
    .insertInto('channels')
    .values({
      channel_id: channel.channelId,
      title: channel.title,
      username: channel.username,
      invite_link: channel.inviteLink,
      updated_at: link.at,
    })
    .onConflict((oc) =>
      oc.column('channel_id').doUpdateSet((eb) => ({
        title: eb.fn.coalesce('excluded.title', 'channels.title'),
        username: eb.fn.coalesce('excluded.username', 'channels.username'),
        invite_link: eb.fn.coalesce('excluded.invite_link', 'channels.invite_link'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  await trx
    .insertInto('group_channels')
    .values({ group_id: link.groupId, channel_id: channel.channelId, linked_at: link.at })
    .onConflict((oc) => oc.columns(['group_id', 'channel_id']).doNothing())
    .execute();
}

export async function removeLinkedChannel(
  trx: Trx,
  groupId: string,
  channelId: string,
  at: Date,
): Promise<void> {
  const removed = await trx
    .deleteFrom('group_channels')
    .where('group_id', '=', groupId)
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (removed.numDeletedRows > 0n) {
    await trx
      .updateTable('groups')
      .set({ updated_at: at })
      .where('group_id', '=', groupId)
      .execute();
  }
}

export async function setGroupEnabled(
  trx: Trx,
  groupId: string,
  enabled: boolean,
  at: Date,
): Promise<void> {
  await trx
    .insertInto('groups')
    .values({
      group_id: groupId,
      title: null,
      enabled,
      bot_id: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ enabled, updated_at: at }))
    .execute();
}

/** A decision can be the first thing we hear of a group (e.g. linked before this projector existed). */
export async function ensureGroup(
  trx: Trx,
  groupId: string,
  botId: string,
  at: Date,
): Promise<void> {
  await trx
    .insertInto('groups')
    .values({
      group_id: groupId,
      title: null,
      bot_id: botId === '0' ? null : botId,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('group_id').doNothing())
    .execute();
}

/**
 * Appends a decision to the log and counts it in the daily rollup. The log is keyed by
 * stream sequence, so even if the checkpoint were bypassed a decision is counted once.
 */
export async function recordVerification(trx: Trx, record: VerificationRecord): Promise<boolean> {
  const inserted = await trx
    .insertInto('verification_log')
    .values({
      stream_seq: record.seq,
      event_id: record.eventId,
      occurred_at: record.occurredAt,
      group_id: record.groupId,
      bot_id: record.botId,
      user_id: record.userId,
      username: record.username,
      first_name: record.firstName,
      outcome: record.outcome,
      trigger: record.trigger,
      cached: record.cached,
      latency_ms: record.latencyMs,
      missing_channel_ids: [...record.missingChannelIds],
      reason: record.reason,
    })
    .onConflict((oc) => oc.column('stream_seq').doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
  await trx
    .insertInto('verification_daily')
    .values({
      day: record.day,
      group_id: record.groupId,
      outcome: record.outcome,
      count: 1,
      cached_count: record.cached ? 1 : 0,
      latency_ms_sum: record.latencyMs,
    })
    .onConflict((oc) =>
      oc.columns(['day', 'group_id', 'outcome']).doUpdateSet((eb) => ({
        count: eb('verification_daily.count', '+', eb.ref('excluded.count')),
        cached_count: eb('verification_daily.cached_count', '+', eb.ref('excluded.cached_count')),
        latency_ms_sum: eb(
          'verification_daily.latency_ms_sum',
          '+',
          eb.ref('excluded.latency_ms_sum'),
        ),
      })),
    )
    .execute();
  return true;
}

export async function upsertRegisteredBot(
  trx: Trx,
  bot: { botId: string; username: string | null; firstName: string | null; at: Date },
): Promise<void> {
  await trx
    .insertInto('bots')
    .values({
      bot_id: bot.botId,
      username: bot.username,
      first_name: bot.firstName,
      last_heartbeat_at: null,
      last_error: null,
      registered_at: bot.at,
      updated_at: bot.at,
    })
    .onConflict((oc) =>
      oc.column('bot_id').doUpdateSet((eb) => ({
        username: eb.fn.coalesce('excluded.username', 'bots.username'),
        first_name: eb.fn.coalesce('excluded.first_name', 'bots.first_name'),
        registered_at: eb.fn.coalesce('bots.registered_at', 'excluded.registered_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function applyBotStatus(trx: Trx, record: BotStatusRecord): Promise<void> {
  await trx
    .insertInto('bots')
    .values({
      bot_id: record.botId,
      username: null,
      first_name: null,
      status: record.status,
      last_heartbeat_at: record.at,
      uptime_seconds: record.uptimeSeconds,
      last_error: record.error,
      registered_at: null,
      updated_at: record.at,
    })
    .onConflict((oc) =>
      oc.column('bot_id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        last_heartbeat_at: eb.ref('excluded.last_heartbeat_at'),
        uptime_seconds: eb.ref('excluded.uptime_seconds'),
        last_error: eb.fn.coalesce('excluded.last_error', 'bots.last_error'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
