// Invite links and join requests.

import {
  approveChatJoinRequest,
  createChatInviteLink,
  declineChatJoinRequest,
  exportChatInviteLink,
} from '../state/invites.ts';
import { inviteLinkJson } from '../state/serialize.ts';
import { answer } from './context.ts';
import { boolParam, chatIdParam, intParam, stringParam, userIdParam } from './params.ts';
import type { MethodHandler } from './context.ts';

export const inviteMethods: Record<string, MethodHandler> = {
  createChatInviteLink: (ctx) => {
    const link = createChatInviteLink(
      ctx.state,
      ctx.bot.user.id,
      {
        chat: chatIdParam(ctx.params),
        name: stringParam(ctx.params, 'name'),
        expireDate: intParam(ctx.params, 'expire_date'),
        memberLimit: intParam(ctx.params, 'member_limit'),
        createsJoinRequest: boolParam(ctx.params, 'creates_join_request'),
      },
      ctx.now,
    );
    return answer(inviteLinkJson(ctx.state, link));
  },

  exportChatInviteLink: (ctx) =>
    answer(exportChatInviteLink(ctx.state, ctx.bot.user.id, chatIdParam(ctx.params), ctx.now)),

  approveChatJoinRequest: (ctx) => {
    const request = { chat: chatIdParam(ctx.params), userId: userIdParam(ctx.params) };
    ctx.publish(approveChatJoinRequest(ctx.state, ctx.bot.user.id, request, ctx.now));
    return answer(true);
  },

  declineChatJoinRequest: (ctx) => {
    const request = { chat: chatIdParam(ctx.params), userId: userIdParam(ctx.params) };
    declineChatJoinRequest(ctx.state, ctx.bot.user.id, request, ctx.now);
    return answer(true);
  },
};
