// Rendering of domain records as Bot API objects (User, Chat, ChatFullInfo, ChatMember,
// ChatInviteLink, Message), field for field as the Bot API server emits them.

import { administratorRightsJson, permissionsJson, PERMISSION_KEYS } from './permissions.ts';
import { hasRight } from './members.ts';
import type { EmulatorState } from './store.ts';
import type {
  ChatRecord,
  InviteLinkRecord,
  MemberState,
  MessageRecord,
  UserRecord,
} from './types.ts';

type Json = Record<string, unknown>;

const MAX_REACTION_COUNT = 11;

export function userJson(user: UserRecord): Json {
  const json: Json = { id: user.id, is_bot: user.is_bot, first_name: user.first_name };
  if (user.last_name) json.last_name = user.last_name;
  if (user.username) json.username = user.username;
  if (user.language_code) json.language_code = user.language_code;
  return json;
}

function knownUser(state: EmulatorState, id: number): UserRecord {
  return state.users.get(id) ?? { id, is_bot: false, first_name: '' };
}

/** The short Chat object found in messages and updates. */
export function chatJson(state: EmulatorState, chat: ChatRecord): Json {
  if (chat.type === 'private') {
    const user = knownUser(state, chat.id);
    const json: Json = { id: chat.id, first_name: user.first_name };
    if (user.last_name) json.last_name = user.last_name;
    if (user.username) json.username = user.username;
    json.type = 'private';
    return json;
  }
  const json: Json = { id: chat.id, title: chat.title ?? '' };
  if (chat.type !== 'group' && chat.username) json.username = chat.username;
  json.type = chat.type;
  if (chat.type === 'group') {
    json.all_members_are_administrators = PERMISSION_KEYS.filter(
      (key) => key !== 'can_manage_topics',
    ).every((key) => chat.permissions[key]);
  }
  return json;
}

const NO_GIFTS = {
  unlimited_gifts: false,
  limited_gifts: false,
  unique_gifts: false,
  premium_subscription: false,
  gifts_from_channels: false,
};

/** ChatFullInfo, as getChat answers; the primary invite link only shows to admins who may invite. */
export function fullChatJson(state: EmulatorState, chat: ChatRecord, viewer: MemberState): Json {
  const json = chatJson(state, chat);
  if (chat.type === 'group') delete json.all_members_are_administrators;
  if (chat.type === 'private') {
    if (!knownUser(state, chat.id).is_bot) json.can_send_gift = true;
    json.accepted_gift_types = { ...NO_GIFTS };
  } else {
    if (chat.username) json.active_usernames = [chat.username];
    if (chat.description) json.description = chat.description;
    const primary = chat.inviteLinks.find((link) => link.isPrimary && !link.isRevoked);
    if (primary && hasRight(viewer, 'can_invite_users')) json.invite_link = primary.inviteLink;
    if (chat.type !== 'channel') json.permissions = permissionsJson(chat.permissions);
    if (chat.type === 'group') json.all_members_are_administrators = false;
    if (chat.linkedChatId !== undefined) json.linked_chat_id = chat.linkedChatId;
    json.accepted_gift_types = { ...NO_GIFTS };
  }
  json.max_reaction_count = MAX_REACTION_COUNT;
  json.accent_color_id = 0;
  return json;
}

/** A ChatMember as seen by `viewerBotId` (can_be_edited depends on who looks). */
export function chatMemberJson(
  user: UserRecord,
  member: MemberState,
  chatType: ChatRecord['type'],
  viewerBotId: number,
): Json {
  const json: Json = { user: userJson(user), status: member.status };
  switch (member.status) {
    case 'creator':
      if (member.customTitle) json.custom_title = member.customTitle;
      json.is_anonymous = member.isAnonymous;
      break;
    case 'administrator':
      json.can_be_edited = member.promotedBy === viewerBotId;
      Object.assign(
        json,
        administratorRightsJson(member.rights, chatType === 'private' ? 'group' : chatType),
      );
      if (member.customTitle) json.custom_title = member.customTitle;
      break;
    case 'restricted':
      if (chatType === 'supergroup') {
        json.until_date = member.untilDate;
        Object.assign(json, permissionsJson(member.permissions));
        json.is_member = member.isMember;
      }
      break;
    case 'kicked':
      json.until_date = member.untilDate;
      break;
    case 'member':
    case 'left':
      break;
    default: {
      const unreachable: never = member;
      return unreachable;
    }
  }
  return json;
}

export function inviteLinkJson(state: EmulatorState, link: InviteLinkRecord): Json {
  const json: Json = {
    invite_link: link.inviteLink,
    creator: userJson(knownUser(state, link.creatorId)),
    creates_join_request: link.createsJoinRequest,
    is_primary: link.isPrimary,
    is_revoked: link.isRevoked,
  };
  if (link.name !== undefined) json.name = link.name;
  if (link.expireDate !== undefined) json.expire_date = link.expireDate;
  if (link.memberLimit !== undefined) json.member_limit = link.memberLimit;
  return json;
}

function serviceFields(state: EmulatorState, message: MessageRecord, json: Json): void {
  const service = message.service;
  if (service === undefined) return;
  switch (service.kind) {
    case 'new_chat_members': {
      const users = service.userIds.map((id) => userJson(knownUser(state, id)));
      json.new_chat_participant = users[0];
      json.new_chat_member = users[0];
      json.new_chat_members = users;
      break;
    }
    case 'left_chat_member': {
      const user = userJson(knownUser(state, service.userId));
      json.left_chat_participant = user;
      json.left_chat_member = user;
      break;
    }
    case 'migrate_to_chat_id':
      json.migrate_to_chat_id = service.chatId;
      break;
    case 'migrate_from_chat_id':
      json.migrate_from_chat_id = service.chatId;
      break;
    default: {
      const unreachable: never = service;
      return unreachable;
    }
  }
}

/** A Message; replies embed the replied-to message one level deep, as Telegram does. */
export function messageJson(
  state: EmulatorState,
  chat: ChatRecord,
  message: MessageRecord,
  nested = false,
): Json {
  const json: Json = { message_id: message.messageId };
  if (message.fromUserId !== undefined) json.from = userJson(knownUser(state, message.fromUserId));
  const senderChat =
    message.senderChatId === undefined ? undefined : state.sharedChat(message.senderChatId);
  if (senderChat) json.sender_chat = chatJson(state, senderChat);
  json.chat = chatJson(state, chat);
  json.date = message.date;
  if (message.editDate !== undefined) json.edit_date = message.editDate;
  const forward = message.automaticForward;
  const forwardChat = forward === undefined ? undefined : state.sharedChat(forward.fromChatId);
  if (forward && forwardChat) {
    const origin = chatJson(state, forwardChat);
    json.forward_origin = {
      type: 'channel',
      chat: origin,
      message_id: forward.fromMessageId,
      date: forward.date,
    };
    json.is_automatic_forward = true;
    json.forward_from_chat = origin;
    json.forward_from_message_id = forward.fromMessageId;
    json.forward_date = forward.date;
  }
  if (!nested && message.replyToMessageId !== undefined) {
    const replied = chat.messages.find(
      (m) => m.messageId === message.replyToMessageId && !m.deleted,
    );
    if (replied) json.reply_to_message = messageJson(state, chat, replied, true);
  }
  if (message.text !== undefined) json.text = message.text;
  if (message.entities !== undefined && message.entities.length > 0)
    json.entities = message.entities;
  serviceFields(state, message, json);
  if (message.replyMarkup !== undefined && 'inline_keyboard' in message.replyMarkup) {
    json.reply_markup = message.replyMarkup;
  }
  return json;
}

/** What a callback query carries when its message is gone. */
export function inaccessibleMessageJson(
  state: EmulatorState,
  chat: ChatRecord,
  messageId: number,
): Json {
  return { chat: chatJson(state, chat), message_id: messageId, date: 0 };
}
