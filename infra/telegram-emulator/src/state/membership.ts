// Recording a membership change: the new state is stored and, when something really
// changed, a member_changed fact is reported (to become chat_member / my_chat_member).
// Service messages that accompany joins and removals in groups are appended here too.

import { appendMessage } from './messages.ts';
import { effectiveMember, sameMemberState } from './members.ts';
import type { Fact } from './facts.ts';
import type { ChatRecord, InviteLinkRecord, MemberState } from './types.ts';

export interface ChangeContext {
  actorId: number;
  now: number;
  inviteLink?: InviteLinkRecord;
  viaJoinRequest?: boolean;
}

export function changeMember(
  chat: ChatRecord,
  userId: number,
  after: MemberState,
  ctx: ChangeContext,
): Fact[] {
  const before = effectiveMember(chat.members.get(userId), ctx.now);
  chat.members.set(userId, after);
  if (sameMemberState(before, after)) return [];
  const fact: Fact = {
    type: 'member_changed',
    chatKey: chat.key,
    userId,
    actorId: ctx.actorId,
    date: ctx.now,
    before,
    after,
  };
  if (ctx.inviteLink) fact.inviteLink = ctx.inviteLink;
  if (ctx.viaJoinRequest) fact.viaJoinRequest = true;
  return [fact];
}

const hasServiceMessages = (chat: ChatRecord): boolean =>
  chat.type === 'group' || chat.type === 'supergroup';

/** "X joined" / "X added Y": only groups and supergroups show them. */
export function joinServiceMessage(
  chat: ChatRecord,
  fromUserId: number,
  userIds: number[],
  now: number,
): Fact[] {
  if (!hasServiceMessages(chat)) return [];
  const message = appendMessage(chat, {
    date: now,
    fromUserId,
    service: { kind: 'new_chat_members', userIds },
  });
  return [{ type: 'message_sent', chatKey: chat.key, messageId: message.messageId }];
}

/** "X left" / "X removed Y". */
export function leftServiceMessage(
  chat: ChatRecord,
  fromUserId: number,
  userId: number,
  now: number,
): Fact[] {
  if (!hasServiceMessages(chat)) return [];
  const message = appendMessage(chat, {
    date: now,
    fromUserId,
    service: { kind: 'left_chat_member', userId },
  });
  return [{ type: 'message_sent', chatKey: chat.key, messageId: message.messageId }];
}
