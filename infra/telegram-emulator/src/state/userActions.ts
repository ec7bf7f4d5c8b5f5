// What people do in the emulated Telegram, driven through the control API: join, ask
// to join, leave, write, press inline buttons, change someone's status as an admin
// would, open a private chat with a bot, upgrade a group. Each returns the facts bots
// will hear about, or refuses the way a Telegram client would not let a user do it.

import { changeMember, joinServiceMessage, leftServiceMessage } from './membership.ts';
import { appendMessage, commandEntities, findMessage, inlineKeyboardOf } from './messages.ts';
import { forwardToDiscussionGroup } from './messaging.ts';
import { canSend, effectiveMember, hasRight, isAdmin, isInChat, join, leave } from './members.ts';
import { newInviteLink } from './invites.ts';
import { SERVICE_USERS } from './store.ts';
import type { Fact } from './facts.ts';
import type { EmulatorState } from './store.ts';
import type { ChatRecord, InviteLinkRecord, MemberState, MessageRecord } from './types.ts';

/** The world does not allow what was asked; `status` is the HTTP status the control API answers. */
export class ActionRefused extends Error {
  readonly status: 400 | 403 | 404 | 409;

  constructor(status: 400 | 403 | 404 | 409, message: string) {
    super(message);
    this.name = 'ActionRefused';
    this.status = status;
  }
}

function requireUser(state: EmulatorState, userId: number): void {
  if (!state.users.has(userId)) throw new ActionRefused(404, `user ${userId} not found`);
}

function requireSharedChat(chat: ChatRecord): void {
  if (chat.type === 'private') throw new ActionRefused(400, 'not possible in a private chat');
}

/** Sets a member's status as an admin (or Telegram) would, with the matching service messages. */
export function setMemberStatus(
  state: EmulatorState,
  chat: ChatRecord,
  userId: number,
  desired: MemberState,
  actorId: number,
  now: number,
): Fact[] {
  requireSharedChat(chat);
  requireUser(state, userId);
  const before = effectiveMember(chat.members.get(userId), now);
  const facts = changeMember(chat, userId, desired, { actorId, now });
  if (!isInChat(before) && isInChat(desired))
    facts.push(...joinServiceMessage(chat, actorId, [userId], now));
  if (isInChat(before) && !isInChat(desired))
    facts.push(...leftServiceMessage(chat, actorId, userId, now));
  return facts;
}

export type JoinVia = 'service_message' | 'invite_link' | 'request';

export interface JoinRequest {
  userId: number;
  via: JoinVia;
  inviteLink?: string;
  addedBy?: number;
}

function linkToUse(chat: ChatRecord, wanted: string | undefined, now: number): InviteLinkRecord {
  if (wanted !== undefined) {
    const link = chat.inviteLinks.find((candidate) => candidate.inviteLink === wanted);
    if (link === undefined || link.isRevoked)
      throw new ActionRefused(400, 'invite link not found or revoked');
    if (link.expireDate !== undefined && link.expireDate <= now)
      throw new ActionRefused(400, 'invite link expired');
    return link;
  }
  const primary = chat.inviteLinks.find((link) => link.isPrimary && !link.isRevoked);
  if (primary) return primary;
  const owner = [...chat.members].find(([, member]) => member.status === 'creator')?.[0];
  return newInviteLink(chat, {
    creatorId: owner ?? SERVICE_USERS.telegram.id,
    createsJoinRequest: false,
    isPrimary: true,
  });
}

export function userJoins(
  state: EmulatorState,
  chat: ChatRecord,
  request: JoinRequest,
  now: number,
): Fact[] {
  requireSharedChat(chat);
  requireUser(state, request.userId);
  if (request.addedBy !== undefined) requireUser(state, request.addedBy);
  const current = effectiveMember(chat.members.get(request.userId), now);
  const inviteLink =
    request.via === 'invite_link' ? linkToUse(chat, request.inviteLink, now) : undefined;
  if (request.via === 'request' || inviteLink?.createsJoinRequest) {
    if (isInChat(current)) throw new ActionRefused(409, 'user is already a member');
    if (current.status === 'kicked') throw new ActionRefused(403, 'user is banned in this chat');
    if (chat.joinRequests.has(request.userId))
      throw new ActionRefused(409, 'join request already pending');
    chat.joinRequests.set(request.userId, {
      userId: request.userId,
      date: now,
      inviteLink: inviteLink?.inviteLink,
    });
    const fact: Fact = {
      type: 'join_requested',
      chatKey: chat.key,
      userId: request.userId,
      date: now,
    };
    if (inviteLink) fact.inviteLink = inviteLink;
    return [fact];
  }
  const after = join(current);
  if (after === 'banned') throw new ActionRefused(403, 'user is banned in this chat');
  if (after === 'already_member') throw new ActionRefused(409, 'user is already a member');
  const actorId = request.addedBy ?? request.userId;
  return [
    ...changeMember(chat, request.userId, after, { actorId, now, inviteLink }),
    ...joinServiceMessage(chat, actorId, [request.userId], now),
  ];
}

export function userLeaves(
  state: EmulatorState,
  chat: ChatRecord,
  userId: number,
  now: number,
): Fact[] {
  requireSharedChat(chat);
  requireUser(state, userId);
  const after = leave(effectiveMember(chat.members.get(userId), now));
  if (after === undefined) throw new ActionRefused(409, 'user is not a member');
  return [
    ...changeMember(chat, userId, after, { actorId: userId, now }),
    ...leftServiceMessage(chat, userId, userId, now),
  ];
}

export interface UserMessage {
  userId?: number;
  senderChatId?: number;
  text: string;
  replyToMessageId?: number;
}

/** Who the message is from, as a Telegram client would send it, or a refusal. */
function sender(state: EmulatorState, chat: ChatRecord, input: UserMessage, now: number) {
  const member = (userId: number): MemberState => effectiveMember(chat.members.get(userId), now);
  if (input.userId !== undefined) requireUser(state, input.userId);
  if (chat.type === 'private') {
    if (input.userId !== chat.privateOf?.userId)
      throw new ActionRefused(403, 'only the user writes in their chat');
    return { fromUserId: input.userId };
  }
  if (chat.type === 'channel') {
    if (input.senderChatId !== undefined && input.senderChatId !== chat.id) {
      throw new ActionRefused(400, 'channel posts are sent on behalf of the channel');
    }
    if (input.userId !== undefined && !hasRight(member(input.userId), 'can_post_messages')) {
      throw new ActionRefused(403, 'user may not post in this channel');
    }
    return { senderChatId: chat.id };
  }
  if (input.senderChatId === chat.id) {
    if (input.userId !== undefined && !isAdmin(member(input.userId))) {
      throw new ActionRefused(403, 'only administrators post anonymously');
    }
    return { fromUserId: SERVICE_USERS.groupAnonymousBot.id, senderChatId: chat.id };
  }
  if (input.senderChatId !== undefined) {
    if (state.sharedChat(input.senderChatId)?.type !== 'channel') {
      throw new ActionRefused(400, 'sender_chat_id must be this chat or a channel');
    }
    return { fromUserId: SERVICE_USERS.channelBot.id, senderChatId: input.senderChatId };
  }
  if (input.userId === undefined)
    throw new ActionRefused(400, 'user_id or sender_chat_id is required');
  const membership = member(input.userId);
  if (!isInChat(membership)) throw new ActionRefused(403, 'user is not a member of the chat');
  if (!canSend(membership, chat.permissions)) {
    throw new ActionRefused(403, 'user is not allowed to send messages here');
  }
  return { fromUserId: input.userId };
}

export function userSendsMessage(
  state: EmulatorState,
  chat: ChatRecord,
  input: UserMessage,
  now: number,
): { message: MessageRecord; facts: Fact[] } {
  if (input.text.length === 0) throw new ActionRefused(400, 'text is empty');
  const from = sender(state, chat, input, now);
  if (input.replyToMessageId !== undefined && !findMessage(chat, input.replyToMessageId)) {
    throw new ActionRefused(404, `message ${input.replyToMessageId} not found`);
  }
  const message = appendMessage(chat, {
    date: now,
    ...from,
    text: input.text,
    entities: commandEntities(input.text),
    replyToMessageId: input.replyToMessageId,
  });
  const facts: Fact[] = [{ type: 'message_sent', chatKey: chat.key, messageId: message.messageId }];
  facts.push(...forwardToDiscussionGroup(state, chat, message, now));
  return { message, facts };
}

export interface ButtonPress {
  userId: number;
  chat: ChatRecord;
  messageId: number;
  data: string;
}

export function pressButton(
  state: EmulatorState,
  press: ButtonPress,
  now: number,
): { queryId: string; facts: Fact[] } {
  requireUser(state, press.userId);
  const message = findMessage(press.chat, press.messageId);
  if (message === undefined) throw new ActionRefused(404, `message ${press.messageId} not found`);
  const keyboard = inlineKeyboardOf(message.replyMarkup);
  const botId = message.authorBotId;
  if (
    botId === undefined ||
    !keyboard.flat().some((button) => button.callback_data === press.data)
  ) {
    throw new ActionRefused(400, 'the message has no inline button with that callback_data');
  }
  const queryId = state.nextCallbackQueryId(botId);
  state.callbackQueries.set(queryId, {
    id: queryId,
    botId,
    userId: press.userId,
    chatId: press.chat.id,
    chatKey: press.chat.key,
    messageId: press.messageId,
    data: press.data,
    date: now,
  });
  return { queryId, facts: [{ type: 'callback_query', queryId }] };
}

/** The user opens the bot's chat; returns it, creating it the first time. */
export function openPrivateChat(state: EmulatorState, botId: number, userId: number): ChatRecord {
  requireUser(state, userId);
  if (!state.bots.has(botId)) throw new ActionRefused(404, `bot ${botId} not found`);
  if (state.bots.has(userId)) throw new ActionRefused(400, 'bots do not talk to bots');
  return (
    state.privateChat(botId, userId) ??
    state.addChat({ type: 'private', privateOf: { botId, userId } })
  );
}

/** Upgrades a basic group to a supergroup, carrying its members over. */
export function migrateGroup(
  state: EmulatorState,
  group: ChatRecord,
  now: number,
): { supergroup: ChatRecord; facts: Fact[] } {
  if (group.type !== 'group') throw new ActionRefused(400, 'only basic groups are upgraded');
  if (group.migratedToChatId !== undefined)
    throw new ActionRefused(409, 'group was already upgraded');
  const supergroup = state.addChat({
    type: 'supergroup',
    title: group.title,
    permissions: { ...group.permissions },
  });
  for (const [userId, member] of group.members) supergroup.members.set(userId, member);
  supergroup.migratedFromChatId = group.id;
  group.migratedToChatId = supergroup.id;
  const owner = [...group.members].find(([, member]) => member.status === 'creator')?.[0];
  const to = appendMessage(group, {
    date: now,
    fromUserId: owner,
    service: { kind: 'migrate_to_chat_id', chatId: supergroup.id },
  });
  const from = appendMessage(supergroup, {
    date: now,
    senderChatId: supergroup.id,
    fromUserId: SERVICE_USERS.groupAnonymousBot.id,
    service: { kind: 'migrate_from_chat_id', chatId: group.id },
  });
  return {
    supergroup,
    facts: [
      { type: 'message_sent', chatKey: group.key, messageId: to.messageId },
      { type: 'message_sent', chatKey: supergroup.key, messageId: from.messageId },
    ],
  };
}
