// Moderation: restricting, banning and unbanning chat members.

import { banChatMember, restrictChatMember, unbanChatMember } from '../state/moderation.ts';
import { readRequestedPermissions, PermissionsParseError } from '../state/permissions.ts';
import { botApiErrors } from '../errors.ts';
import { answer } from './context.ts';
import { boolParam, chatIdParam, intParam, isObject, jsonParam, userIdParam } from './params.ts';
import type { ChatPermissions } from '../state/permissions.ts';
import type { MethodContext, MethodHandler } from './context.ts';

const LEGACY_PERMISSION_FIELDS = [
  'can_send_messages',
  'can_send_media_messages',
  'can_send_polls',
  'can_send_other_messages',
  'can_add_web_page_previews',
  'can_change_info',
  'can_invite_users',
  'can_pin_messages',
];

/** `permissions` (JSON), or the legacy flat can_* parameters when it is absent. */
function requestedPermissions(ctx: MethodContext): ChatPermissions {
  const independent = boolParam(ctx.params, 'use_independent_chat_permissions');
  const permissions = jsonParam(ctx.params, 'permissions', botApiErrors.cantParsePermissions);
  const source =
    permissions === undefined
      ? Object.fromEntries(
          LEGACY_PERMISSION_FIELDS.map((field) => [field, boolParam(ctx.params, field)]),
        )
      : permissions;
  if (!isObject(source)) throw botApiErrors.permissionsNotObject();
  try {
    return readRequestedPermissions(source, independent);
  } catch (error) {
    if (error instanceof PermissionsParseError) throw botApiErrors.cantParsePermissions();
    throw error;
  }
}

export const memberMethods: Record<string, MethodHandler> = {
  restrictChatMember: (ctx) => {
    const chat = chatIdParam(ctx.params);
    const userId = userIdParam(ctx.params);
    const permissions = requestedPermissions(ctx);
    const untilDate = intParam(ctx.params, 'until_date') ?? 0;
    ctx.publish(
      restrictChatMember(
        ctx.state,
        ctx.bot.user.id,
        { chat, userId, permissions, untilDate },
        ctx.now,
      ),
    );
    return answer(true);
  },

  banChatMember: (ctx) => {
    const chat = chatIdParam(ctx.params);
    const userId = userIdParam(ctx.params);
    const untilDate = intParam(ctx.params, 'until_date') ?? 0;
    ctx.publish(banChatMember(ctx.state, ctx.bot.user.id, { chat, userId, untilDate }, ctx.now));
    return answer(true);
  },

  unbanChatMember: (ctx) => {
    const chat = chatIdParam(ctx.params);
    const userId = userIdParam(ctx.params);
    const onlyIfBanned = boolParam(ctx.params, 'only_if_banned');
    ctx.publish(
      unbanChatMember(ctx.state, ctx.bot.user.id, { chat, userId, onlyIfBanned }, ctx.now),
    );
    return answer(true);
  },
};
