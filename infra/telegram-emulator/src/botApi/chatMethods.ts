// Reading chats and their members, and leaving them.

import { botApiErrors } from '../errors.ts';
import { chatForBot } from '../state/chatAccess.ts';
import { effectiveMember, isAdmin, isInChat } from '../state/members.ts';
import { leaveChat } from '../state/moderation.ts';
import { chatMemberJson, fullChatJson } from '../state/serialize.ts';
import { answer } from './context.ts';
import { boolParam, chatIdParam, userIdParam } from './params.ts';
import type { ChatAccess } from '../state/chatAccess.ts';
import type { ChatRecord, MemberState } from '../state/types.ts';
import type { MethodContext, MethodHandler } from './context.ts';

/** Channel member lists are for the channel's administrators only. */
function chatForMembers(
  ctx: MethodContext,
  access: ChatAccess,
): { chat: ChatRecord; self: MemberState } {
  const found = chatForBot(ctx.state, ctx.bot.user.id, chatIdParam(ctx.params), access, ctx.now);
  if (found.chat.type === 'channel' && access === 'members' && !isAdmin(found.self)) {
    throw botApiErrors.memberListInaccessible();
  }
  return found;
}

function memberOf(ctx: MethodContext, chat: ChatRecord, userId: number): MemberState {
  if (chat.privateOf !== undefined) {
    const inChat = userId === chat.privateOf.userId || userId === chat.privateOf.botId;
    return inChat ? { status: 'member' } : { status: 'left' };
  }
  return effectiveMember(chat.members.get(userId), ctx.now);
}

export const chatMethods: Record<string, MethodHandler> = {
  getChat: (ctx) => {
    const { chat, self } = chatForBot(
      ctx.state,
      ctx.bot.user.id,
      chatIdParam(ctx.params),
      'read',
      ctx.now,
    );
    return answer(fullChatJson(ctx.state, chat, self));
  },

  getChatMember: (ctx) => {
    const userId = userIdParam(ctx.params);
    const { chat } = chatForMembers(ctx, userId === ctx.bot.user.id ? 'read' : 'members');
    const user = ctx.state.users.get(userId);
    if (user === undefined) throw botApiErrors.userNotFound();
    return answer(chatMemberJson(user, memberOf(ctx, chat, userId), chat.type, ctx.bot.user.id));
  },

  getChatAdministrators: (ctx) => {
    const { chat } = chatForMembers(ctx, 'members');
    if (chat.type === 'private') throw botApiErrors.noAdministratorsInPrivateChat();
    const returnBots = boolParam(ctx.params, 'return_bots');
    const admins = [...chat.members.keys()].flatMap((userId) => {
      const user = ctx.state.users.get(userId);
      const member = memberOf(ctx, chat, userId);
      if (user === undefined || !isAdmin(member)) return [];
      if (user.is_bot && user.id !== ctx.bot.user.id && !returnBots) return [];
      return [chatMemberJson(user, member, chat.type, ctx.bot.user.id)];
    });
    return answer(admins);
  },

  getChatMemberCount: (ctx) => {
    const { chat } = chatForBot(
      ctx.state,
      ctx.bot.user.id,
      chatIdParam(ctx.params),
      'members',
      ctx.now,
    );
    if (chat.type === 'private') return answer(2);
    const count = [...chat.members.keys()].filter((userId) =>
      isInChat(memberOf(ctx, chat, userId)),
    ).length;
    return answer(count);
  },

  leaveChat: (ctx) => {
    ctx.publish(leaveChat(ctx.state, ctx.bot.user.id, chatIdParam(ctx.params), ctx.now));
    return answer(true);
  },
};
