// What a bot's moderation calls do to the world: restrictChatMember, banChatMember,
// unbanChatMember and leaveChat, with Telegram's rights checks and errors.

import { botApiErrors } from '../errors.ts';
import { chatForBot } from './chatAccess.ts';
import { changeMember, leftServiceMessage } from './membership.ts';
import {
  ban,
  effectiveMember,
  isInChat,
  leave,
  moderationRefusal,
  restrict,
  unban,
} from './members.ts';
import type { ChatRef } from './chatAccess.ts';
import type { Fact } from './facts.ts';
import type { ChatPermissions } from './permissions.ts';
import type { EmulatorState } from './store.ts';
import type { ChatRecord, MemberState, UserRecord } from './types.ts';

function knownUser(state: EmulatorState, userId: number): UserRecord {
  const user = state.users.get(userId);
  if (user === undefined) throw botApiErrors.userNotFound();
  return user;
}

function assertMayModerate(self: MemberState, target: MemberState): void {
  const refusal = moderationRefusal(self, target);
  if (refusal === undefined) return;
  switch (refusal) {
    case 'not_enough_rights':
      throw botApiErrors.notEnoughRightsToRestrict();
    case 'target_is_owner':
      throw botApiErrors.cantRemoveChatOwner();
    case 'target_is_admin':
      throw botApiErrors.userIsAdministrator();
    default: {
      const unreachable: never = refusal;
      throw new Error(`unknown refusal ${String(unreachable)}`);
    }
  }
}

/** A removal from a group shows as "<bot> removed <user>". */
function removal(
  chat: ChatRecord,
  botId: number,
  userId: number,
  before: MemberState,
  now: number,
): Fact[] {
  return isInChat(before) ? leftServiceMessage(chat, botId, userId, now) : [];
}

export interface RestrictRequest {
  chat: ChatRef;
  userId: number;
  permissions: ChatPermissions;
  untilDate: number;
}

export function restrictChatMember(
  state: EmulatorState,
  botId: number,
  request: RestrictRequest,
  now: number,
): Fact[] {
  const { chat, self } = chatForBot(state, botId, request.chat, 'write', now);
  if (chat.type !== 'supergroup') throw botApiErrors.onlyForSupergroups();
  knownUser(state, request.userId);
  const target = effectiveMember(chat.members.get(request.userId), now);
  assertMayModerate(self, target);
  const after = restrict(target, request.permissions, chat.permissions, request.untilDate, now);
  return changeMember(chat, request.userId, after, { actorId: botId, now });
}

export interface BanRequest {
  chat: ChatRef;
  userId: number;
  untilDate: number;
}

export function banChatMember(
  state: EmulatorState,
  botId: number,
  request: BanRequest,
  now: number,
): Fact[] {
  const { chat, self } = chatForBot(state, botId, request.chat, 'write', now);
  if (chat.type === 'private') throw botApiErrors.statusUnchangeableInPrivateChat();
  knownUser(state, request.userId);
  const target = effectiveMember(chat.members.get(request.userId), now);
  assertMayModerate(self, target);
  const untilDate = chat.type === 'group' ? 0 : request.untilDate;
  return [
    ...changeMember(chat, request.userId, ban(untilDate, now), { actorId: botId, now }),
    ...removal(chat, botId, request.userId, target, now),
  ];
}

export interface UnbanRequest {
  chat: ChatRef;
  userId: number;
  onlyIfBanned: boolean;
}

export function unbanChatMember(
  state: EmulatorState,
  botId: number,
  request: UnbanRequest,
  now: number,
): Fact[] {
  const { chat, self } = chatForBot(state, botId, request.chat, 'write', now);
  if (chat.type !== 'supergroup' && chat.type !== 'channel')
    throw botApiErrors.onlyForSupergroupsAndChannels();
  knownUser(state, request.userId);
  const target = effectiveMember(chat.members.get(request.userId), now);
  if (request.onlyIfBanned && target.status !== 'kicked') return [];
  assertMayModerate(self, target);
  const after = unban(target, request.onlyIfBanned);
  if (after === undefined) return [];
  return [
    ...changeMember(chat, request.userId, after, { actorId: botId, now }),
    ...removal(chat, botId, request.userId, target, now),
  ];
}

export function leaveChat(state: EmulatorState, botId: number, ref: ChatRef, now: number): Fact[] {
  const { chat, self } = chatForBot(state, botId, ref, 'read', now);
  if (chat.type === 'private') throw botApiErrors.statusUnchangeableInPrivateChat();
  const after = leave(self);
  if (after === undefined) throw botApiErrors.botNotMember(chat.type);
  return [
    ...changeMember(chat, botId, after, { actorId: botId, now }),
    ...leftServiceMessage(chat, botId, botId, now),
  ];
}
