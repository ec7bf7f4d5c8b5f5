// Update routing, pure: which bot receives which update for a fact, following Telegram's
// rules. Bots only hear about chats they are in; bots never see other bots' messages;
// in privacy mode a non-admin bot in a group sees only commands, replies to itself and
// service messages; chat_member goes to admin bots (and only if they asked for it, which
// the inbox enforces); my_chat_member goes to the bot whose own membership changed;
// chat_join_request goes to admins that may invite users.

import { createHash } from 'node:crypto';
import { effectiveMember, hasRight, isAdmin, isInChat } from './members.ts';
import {
  chatJson,
  chatMemberJson,
  inaccessibleMessageJson,
  inviteLinkJson,
  messageJson,
  userJson,
} from './serialize.ts';
import type { Fact } from './facts.ts';
import type { EmulatorState } from './store.ts';
import type { BotRecord, ChatRecord, MessageRecord, UserRecord } from './types.ts';

export const UPDATE_TYPES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

export type UpdateType = (typeof UPDATE_TYPES)[number];

/** Telegram's default: every update type except chat_member and reactions. */
export const DEFAULT_ALLOWED_UPDATES: ReadonlySet<UpdateType> = new Set(
  UPDATE_TYPES.filter(
    (type) => !['chat_member', 'message_reaction', 'message_reaction_count'].includes(type),
  ),
);

export interface RoutedUpdate {
  botId: number;
  type: UpdateType;
  payload: Record<string, unknown>;
}

/** chat_instance: stable per (bot, chat), opaque to the bot. */
export function chatInstance(botId: number, chatId: number): string {
  const digest = createHash('sha256').update(`${botId}:${chatId}`).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

function userOrPlaceholder(state: EmulatorState, id: number): UserRecord {
  return state.users.get(id) ?? { id, is_bot: false, first_name: '' };
}

function isCommandFor(message: MessageRecord, bot: BotRecord): boolean {
  const text = message.text ?? '';
  return (message.entities ?? []).some((entity) => {
    if (entity.type !== 'bot_command') return false;
    const command = text.slice(entity.offset, entity.offset + entity.length);
    const at = command.indexOf('@');
    return at < 0 || command.slice(at + 1).toLowerCase() === bot.user.username?.toLowerCase();
  });
}

function isReplyTo(chat: ChatRecord, message: MessageRecord, botId: number): boolean {
  if (message.replyToMessageId === undefined) return false;
  const replied = chat.messages.find((m) => m.messageId === message.replyToMessageId);
  return replied?.authorBotId === botId;
}

function groupBotSeesMessage(
  chat: ChatRecord,
  message: MessageRecord,
  bot: BotRecord,
  now: number,
): boolean {
  const member = effectiveMember(chat.members.get(bot.user.id), now);
  if (!isInChat(member)) return false;
  if (isAdmin(member) || bot.canReadAllGroupMessages) return true;
  return (
    message.service !== undefined ||
    isCommandFor(message, bot) ||
    isReplyTo(chat, message, bot.user.id)
  );
}

function routeMessage(
  state: EmulatorState,
  chat: ChatRecord,
  message: MessageRecord,
  now: number,
): RoutedUpdate[] {
  const sender = message.fromUserId === undefined ? undefined : state.users.get(message.fromUserId);
  const fromAnotherBot =
    sender?.is_bot === true && message.senderChatId === undefined && !message.service;
  const payload = (): Record<string, unknown> => messageJson(state, chat, message);
  const isAuthor = (bot: BotRecord): boolean =>
    message.authorBotId === bot.user.id || message.fromUserId === bot.user.id;

  switch (chat.type) {
    case 'private': {
      const owner = chat.privateOf === undefined ? undefined : state.bots.get(chat.privateOf.botId);
      if (owner === undefined || isAuthor(owner) || fromAnotherBot) return [];
      return [{ botId: owner.user.id, type: 'message', payload: payload() }];
    }
    case 'channel':
      return [...state.bots.values()]
        .filter(
          (bot) => !isAuthor(bot) && isAdmin(effectiveMember(chat.members.get(bot.user.id), now)),
        )
        .map((bot) => ({ botId: bot.user.id, type: 'channel_post', payload: payload() }));
    case 'group':
    case 'supergroup':
      if (fromAnotherBot) return [];
      return [...state.bots.values()]
        .filter((bot) => !isAuthor(bot) && groupBotSeesMessage(chat, message, bot, now))
        .map((bot) => ({ botId: bot.user.id, type: 'message', payload: payload() }));
    default: {
      const unreachable: never = chat.type;
      return unreachable;
    }
  }
}

export function routeFact(state: EmulatorState, fact: Fact, now: number): RoutedUpdate[] {
  switch (fact.type) {
    case 'message_sent': {
      const chat = state.chats.get(fact.chatKey);
      const message = chat?.messages.find((m) => m.messageId === fact.messageId);
      return chat && message ? routeMessage(state, chat, message, now) : [];
    }
    case 'member_changed': {
      const chat = state.chats.get(fact.chatKey);
      if (chat === undefined) return [];
      const user = userOrPlaceholder(state, fact.userId);
      const payloadFor = (viewerBotId: number): Record<string, unknown> => {
        const payload: Record<string, unknown> = {
          chat: chatJson(state, chat),
          from: userJson(userOrPlaceholder(state, fact.actorId)),
          date: fact.date,
          old_chat_member: chatMemberJson(user, fact.before, chat.type, viewerBotId),
          new_chat_member: chatMemberJson(user, fact.after, chat.type, viewerBotId),
        };
        if (fact.inviteLink) payload.invite_link = inviteLinkJson(state, fact.inviteLink);
        if (fact.viaJoinRequest) payload.via_join_request = true;
        return payload;
      };
      const routed: RoutedUpdate[] = [];
      for (const bot of state.bots.values()) {
        const botId = bot.user.id;
        if (botId === fact.userId) {
          routed.push({ botId, type: 'my_chat_member', payload: payloadFor(botId) });
        } else if (isAdmin(effectiveMember(chat.members.get(botId), now))) {
          routed.push({ botId, type: 'chat_member', payload: payloadFor(botId) });
        }
      }
      return routed;
    }
    case 'callback_query': {
      const query = state.callbackQueries.get(fact.queryId);
      const chat = query === undefined ? undefined : state.chats.get(query.chatKey);
      if (query === undefined || chat === undefined) return [];
      const message = chat.messages.find((m) => m.messageId === query.messageId && !m.deleted);
      return [
        {
          botId: query.botId,
          type: 'callback_query',
          payload: {
            id: query.id,
            from: userJson(userOrPlaceholder(state, query.userId)),
            message: message
              ? messageJson(state, chat, message)
              : inaccessibleMessageJson(state, chat, query.messageId),
            chat_instance: chatInstance(query.botId, chat.id),
            data: query.data,
          },
        },
      ];
    }
    case 'join_requested': {
      const chat = state.chats.get(fact.chatKey);
      if (chat === undefined) return [];
      const payload: Record<string, unknown> = {
        chat: chatJson(state, chat),
        from: userJson(userOrPlaceholder(state, fact.userId)),
        user_chat_id: fact.userId,
        date: fact.date,
      };
      if (fact.inviteLink) payload.invite_link = inviteLinkJson(state, fact.inviteLink);
      return [...state.bots.values()]
        .filter((bot) =>
          hasRight(effectiveMember(chat.members.get(bot.user.id), now), 'can_invite_users'),
        )
        .map((bot) => ({ botId: bot.user.id, type: 'chat_join_request', payload: { ...payload } }));
    }
    default: {
      const unreachable: never = fact;
      return unreachable;
    }
  }
}
