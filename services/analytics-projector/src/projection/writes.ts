// The read model's write queries. Each takes the transaction first; the projector calls
// them inside the one transaction that also advances the checkpoint.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../readModel/index.ts';
import type { BotStatusRecord, ChannelLink } from './records.ts';

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
        // A bot linking a channel is in the group again (after group.bot_left).
        bot_present: sql<boolean>`groups.bot_present or excluded.bot_id is not null`,
        bot_left_at: sql<Date | null>`case when excluded.bot_id is not null then null else groups.bot_left_at end`,
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
      first_seen_at: bot.at,
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
      last_error_at: record.error === null ? null : record.at,
      first_seen_at: record.at,
      registered_at: null,
      updated_at: record.at,
    })
    .onConflict((oc) =>
      oc.column('bot_id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        last_heartbeat_at: eb.ref('excluded.last_heartbeat_at'),
        uptime_seconds: eb.ref('excluded.uptime_seconds'),
        last_error: eb.fn.coalesce('excluded.last_error', 'bots.last_error'),
        last_error_at: eb.fn.coalesce('excluded.last_error_at', 'bots.last_error_at'),
        first_seen_at: eb.fn.coalesce('bots.first_seen_at', 'excluded.first_seen_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
