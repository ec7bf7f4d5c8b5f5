// `chat_member` and `chat_join_request` updates -> facts: channel membership changes, joins
// of a group, promotions and restrictions a human set, join requests.
import {
  ChannelMemberChangedSchema,
  create,
  JoinRequestedSchema,
  JoinSource,
  MemberJoinedSchema,
  MemberUpdatedSchema,
} from '@nezuko/proto';
import type { TgChatJoinRequest, TgChatMemberUpdated } from './schema.ts';
import {
  eventId,
  events,
  ignored,
  isGroup,
  telegramUser,
  type Translation,
  type UpdateContext,
} from './translation.ts';

export function translateChatMember(ctx: UpdateContext, change: TgChatMemberUpdated): Translation {
  const { bot } = ctx;
  const at = new Date(change.date * 1000);
  const user = change.new_chat_member.user;
  const oldStatus = change.old_chat_member?.status ?? 'left';
  const newStatus = change.new_chat_member.status;
  if (change.chat.type === 'channel') {
    return events(ctx, 'chat_member', [
      {
        type: 'channel.member_changed',
        id: eventId(ctx),
        occurredAt: at,
        event: create(ChannelMemberChangedSchema, {
          botId: bot.botId,
          channelId: String(change.chat.id),
          userId: String(user.id),
          oldStatus: describeStatus(oldStatus, change.old_chat_member?.is_member),
          newStatus: describeStatus(newStatus, change.new_chat_member.is_member),
        }),
      },
    ]);
  }
  if (!isGroup(change.chat))
    return ignored(ctx, 'chat_member', `chat_member in a ${change.chat.type} chat`);
  const wasIn = isInside(oldStatus, change.old_chat_member?.is_member);
  const isIn =
    newStatus === 'member' ||
    (newStatus === 'restricted' && change.new_chat_member.is_member === true);
  if (wasIn || !isIn) {
    // Promotions and demotions change who may use the admin commands; a restriction an
    // admin other than the bot set or lifted is theirs, which Nezuko leaves alone. (A
    // restricted member leaving does it themselves: that is not an admin's restriction.)
    const byHuman =
      String(change.from.id) !== bot.botId &&
      change.from.id !== user.id &&
      (oldStatus === 'restricted' || newStatus === 'restricted');
    if (adminStatuses.has(oldStatus) || adminStatuses.has(newStatus) || byHuman) {
      return events(ctx, 'chat_member', [
        {
          type: 'chat.member_updated',
          id: eventId(ctx),
          occurredAt: at,
          event: create(MemberUpdatedSchema, {
            botId: bot.botId,
            groupId: String(change.chat.id),
            user: telegramUser(user),
            oldStatus: describeStatus(oldStatus, change.old_chat_member?.is_member),
            newStatus: describeStatus(newStatus, change.new_chat_member.is_member),
            actorUserId: String(change.from.id),
          }),
        },
      ]);
    }
    return ignored(ctx, 'chat_member', `${oldStatus} -> ${newStatus} is not a join`);
  }
  if (user.is_bot) return ignored(ctx, 'chat_member', 'a bot joined');
  return events(ctx, 'chat_member', [
    {
      type: 'chat.member_joined',
      id: eventId(ctx),
      occurredAt: at,
      event: create(MemberJoinedSchema, {
        botId: bot.botId,
        groupId: String(change.chat.id),
        groupTitle: change.chat.title ?? '',
        user: telegramUser(user),
        source: JoinSource.CHAT_MEMBER,
        messageId: '0',
        status: newStatus,
      }),
    },
  ]);
}

export function translateJoinRequest(ctx: UpdateContext, request: TgChatJoinRequest): Translation {
  if (!isGroup(request.chat))
    return ignored(ctx, 'chat_join_request', `join request in a ${request.chat.type} chat`);
  if (request.from.is_bot) return ignored(ctx, 'chat_join_request', 'a bot asked to join');
  return events(ctx, 'chat_join_request', [
    {
      type: 'chat.join_requested',
      id: eventId(ctx),
      occurredAt: new Date(request.date * 1000),
      event: create(JoinRequestedSchema, {
        botId: ctx.bot.botId,
        groupId: String(request.chat.id),
        groupTitle: request.chat.title ?? '',
        user: telegramUser(request.from),
        userChatId: String(request.user_chat_id),
      }),
    },
  ]);
}

const adminStatuses = new Set(['creator', 'administrator']);

function isInside(status: string, isMember: boolean | undefined): boolean {
  if (status === 'left' || status === 'kicked') return false;
  if (status === 'restricted') return isMember === true;
  return true;
}

/** A restricted member's `is_member` decides whether they are in the chat; say so. */
function describeStatus(status: string, isMember: boolean | undefined): string {
  if (status !== 'restricted') return status;
  return isMember === false ? 'restricted_left' : 'restricted';
}
