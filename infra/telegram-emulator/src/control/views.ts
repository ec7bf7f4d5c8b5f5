// How the control API shows the world: chats with their members (as Bot API ChatMember
// objects), invite links and join requests; messages with their deletion state.

import { effectiveMember } from '../state/members.ts';
import {
  chatMemberJson,
  fullChatJson,
  inviteLinkJson,
  messageJson,
  userJson,
} from '../state/serialize.ts';
import type { EmulatorState } from '../state/store.ts';
import type { BotRecord, ChatRecord, MessageRecord } from '../state/types.ts';

const NO_VIEWER = 0;

export function botView(bot: BotRecord): Record<string, unknown> {
  return {
    id: bot.user.id,
    token: bot.token,
    user: userJson(bot.user),
    can_read_all_group_messages: bot.canReadAllGroupMessages,
  };
}

export function memberViews(
  state: EmulatorState,
  chat: ChatRecord,
  now: number,
): Record<string, unknown>[] {
  return [...chat.members].flatMap(([userId, member]) => {
    const user = state.users.get(userId);
    return user ? [chatMemberJson(user, effectiveMember(member, now), chat.type, NO_VIEWER)] : [];
  });
}

export function chatView(
  state: EmulatorState,
  chat: ChatRecord,
  now: number,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    control_id: chat.key,
    ...fullChatJson(state, chat, { status: 'creator', isAnonymous: false }),
  };
  if (chat.privateOf) view.bot_id = chat.privateOf.botId;
  if (chat.migratedToChatId !== undefined) view.migrate_to_chat_id = chat.migratedToChatId;
  if (chat.migratedFromChatId !== undefined) view.migrate_from_chat_id = chat.migratedFromChatId;
  view.members = memberViews(state, chat, now);
  view.invite_links = chat.inviteLinks.map((link) => inviteLinkJson(state, link));
  view.join_requests = [...chat.joinRequests.values()].map((request) => ({
    user: userJson(
      state.users.get(request.userId) ?? { id: request.userId, is_bot: false, first_name: '' },
    ),
    date: request.date,
    ...(request.inviteLink !== undefined ? { invite_link: request.inviteLink } : {}),
  }));
  return view;
}

export function chatSummary(chat: ChatRecord): Record<string, unknown> {
  return {
    control_id: chat.key,
    id: chat.id,
    type: chat.type,
    ...(chat.title !== undefined ? { title: chat.title } : {}),
    ...(chat.username !== undefined ? { username: chat.username } : {}),
  };
}

export function messageView(
  state: EmulatorState,
  chat: ChatRecord,
  message: MessageRecord,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...messageJson(state, chat, message),
    deleted: message.deleted,
  };
  if (message.replyMarkup !== undefined) view.reply_markup = message.replyMarkup;
  if (message.authorBotId !== undefined) view.sent_by_bot_id = message.authorBotId;
  if (message.deletedAt !== undefined) view.deleted_at = message.deletedAt;
  if (message.deletedByBotId !== undefined) view.deleted_by_bot_id = message.deletedByBotId;
  return view;
}
