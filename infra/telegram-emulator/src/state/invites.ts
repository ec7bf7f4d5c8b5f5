// Invite links and join requests: what createChatInviteLink, exportChatInviteLink,
// approveChatJoinRequest and declineChatJoinRequest do, and how a user asks to join.

import { randomBytes } from 'node:crypto';
import { botApiErrors } from '../errors.ts';
import { chatForBot } from './chatAccess.ts';
import { changeMember, joinServiceMessage } from './membership.ts';
import { effectiveMember, hasRight, isInChat, join } from './members.ts';
import type { ChatRef } from './chatAccess.ts';
import type { Fact } from './facts.ts';
import type { EmulatorState } from './store.ts';
import type { ChatRecord, InviteLinkRecord } from './types.ts';

export function newInviteLink(
  chat: ChatRecord,
  fields: Omit<InviteLinkRecord, 'inviteLink' | 'isRevoked'>,
): InviteLinkRecord {
  const link: InviteLinkRecord = {
    inviteLink: `https://t.me/+${randomBytes(12).toString('base64url')}`,
    isRevoked: false,
    ...fields,
  };
  if (link.isPrimary) {
    for (const existing of chat.inviteLinks) if (existing.isPrimary) existing.isRevoked = true;
  }
  chat.inviteLinks.push(link);
  return link;
}

function chatForInviting(
  state: EmulatorState,
  botId: number,
  ref: ChatRef,
  now: number,
): ChatRecord {
  const { chat, self } = chatForBot(state, botId, ref, 'write', now);
  if (chat.type === 'private' || !hasRight(self, 'can_invite_users')) {
    throw botApiErrors.notEnoughRightsForInviteLinks();
  }
  return chat;
}

export interface InviteLinkRequest {
  chat: ChatRef;
  name?: string;
  expireDate?: number;
  memberLimit?: number;
  createsJoinRequest: boolean;
}

export function createChatInviteLink(
  state: EmulatorState,
  botId: number,
  request: InviteLinkRequest,
  now: number,
): InviteLinkRecord {
  const chat = chatForInviting(state, botId, request.chat, now);
  if (request.createsJoinRequest && request.memberLimit !== undefined) {
    throw botApiErrors.memberLimitWithJoinRequest();
  }
  return newInviteLink(chat, {
    creatorId: botId,
    createsJoinRequest: request.createsJoinRequest,
    isPrimary: false,
    name: request.name,
    expireDate: request.expireDate,
    memberLimit: request.memberLimit,
  });
}

/** A new primary link for the chat; the previous primary link is revoked. */
export function exportChatInviteLink(
  state: EmulatorState,
  botId: number,
  ref: ChatRef,
  now: number,
): string {
  const chat = chatForInviting(state, botId, ref, now);
  return newInviteLink(chat, { creatorId: botId, createsJoinRequest: false, isPrimary: true })
    .inviteLink;
}

function pendingRequest(state: EmulatorState, chat: ChatRecord, userId: number, now: number) {
  if (!state.users.has(userId)) throw botApiErrors.userNotFound();
  const request = chat.joinRequests.get(userId);
  if (request !== undefined) return request;
  if (isInChat(effectiveMember(chat.members.get(userId), now)))
    throw botApiErrors.userAlreadyParticipant();
  throw botApiErrors.joinRequestMissing();
}

export function approveChatJoinRequest(
  state: EmulatorState,
  botId: number,
  request: { chat: ChatRef; userId: number },
  now: number,
): Fact[] {
  const chat = chatForInviting(state, botId, request.chat, now);
  const joinRequest = pendingRequest(state, chat, request.userId, now);
  chat.joinRequests.delete(request.userId);
  const after = join(effectiveMember(chat.members.get(request.userId), now));
  if (after === 'already_member') throw botApiErrors.userAlreadyParticipant();
  if (after === 'banned') throw botApiErrors.joinRequestMissing();
  const inviteLink = chat.inviteLinks.find((link) => link.inviteLink === joinRequest.inviteLink);
  return [
    ...changeMember(chat, request.userId, after, {
      actorId: botId,
      now,
      inviteLink,
      viaJoinRequest: true,
    }),
    ...joinServiceMessage(chat, request.userId, [request.userId], now),
  ];
}

export function declineChatJoinRequest(
  state: EmulatorState,
  botId: number,
  request: { chat: ChatRef; userId: number },
  now: number,
): void {
  const chat = chatForInviting(state, botId, request.chat, now);
  pendingRequest(state, chat, request.userId, now);
  chat.joinRequests.delete(request.userId);
}
