// Look-ups other services ask the bot for over NATS request-reply (the gateway is the only
// holder of the token). A Telegram error is an answer and travels inside the reply; when
// Telegram cannot be reached the gateway does not answer, so the caller sees a transport
// failure and retries instead of mistaking it for a verdict.
import { serve, type Logger, type Naming } from '@nezuko/kit';
import {
  create,
  GetChatMemberReplySchema,
  GetChatMemberRequestSchema,
  GetChatReplySchema,
  GetChatRequestSchema,
  CreateChatInviteLinkReplySchema,
  CreateChatInviteLinkRequestSchema,
  GetChatAdministratorsReplySchema,
  GetChatAdministratorsRequestSchema,
  subjects,
  TelegramErrorSchema,
  type GetChatMemberReply,
  type GetChatReply,
} from '@nezuko/proto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { ChatMember } from 'telegraf/types';
import type { TelegramClient } from './telegram/client.ts';
import { classifyTelegramFailure } from './telegram/errors.ts';

/** Below the callers' 5 s request timeout, so a slow Telegram is reported, not timed out. */
const lookupTimeoutMs = 4000;

export interface RpcDeps {
  readonly nc: NatsConnection;
  readonly names: Naming;
  readonly botId: string;
  readonly telegram: TelegramClient;
  readonly logger: Logger;
}

export function serveLookups(deps: RpcDeps): Subscription[] {
  const { nc, names, botId, telegram, logger } = deps;
  return [
    serve(
      nc,
      names,
      subjects.rpc(botId, 'get_chat_member'),
      GetChatMemberRequestSchema,
      GetChatMemberReplySchema,
      async (req) => {
        try {
          const member = await telegram.call(
            'getChatMember',
            { chat_id: Number(req.chatId), user_id: Number(req.userId) },
            { timeoutMs: lookupTimeoutMs },
          );
          return memberReply(member);
        } catch (error) {
          return create(GetChatMemberReplySchema, { error: telegramErrorOrThrow(error) });
        }
      },
      logger,
    ),
    serve(
      nc,
      names,
      subjects.rpc(botId, 'get_chat'),
      GetChatRequestSchema,
      GetChatReplySchema,
      async (req) => {
        const chat = /^-?\d+$/.test(req.chat) ? Number(req.chat) : req.chat;
        try {
          const found = await telegram.call(
            'getChat',
            { chat_id: chat },
            { timeoutMs: lookupTimeoutMs },
          );
          return chatReply(found);
        } catch (error) {
          return create(GetChatReplySchema, { error: telegramErrorOrThrow(error) });
        }
      },
      logger,
    ),
    serve(
      nc,
      names,
      subjects.rpc(botId, 'get_chat_administrators'),
      GetChatAdministratorsRequestSchema,
      GetChatAdministratorsReplySchema,
      async (req) => {
        try {
          const admins = await telegram.call(
            'getChatAdministrators',
            { chat_id: Number(req.chatId) },
            { timeoutMs: lookupTimeoutMs },
          );
          return create(GetChatAdministratorsReplySchema, {
            administrators: admins.map((admin) => ({
              userId: String(admin.user.id),
              status: admin.status,
              isAnonymous: admin.is_anonymous,
              isBot: admin.user.is_bot,
            })),
          });
        } catch (error) {
          return create(GetChatAdministratorsReplySchema, { error: telegramErrorOrThrow(error) });
        }
      },
      logger,
    ),
    serve(
      nc,
      names,
      subjects.rpc(botId, 'create_chat_invite_link'),
      CreateChatInviteLinkRequestSchema,
      CreateChatInviteLinkReplySchema,
      async (req) => {
        try {
          const link = await telegram.call(
            'createChatInviteLink',
            { chat_id: Number(req.chatId), ...(req.name !== '' ? { name: req.name } : {}) },
            { timeoutMs: lookupTimeoutMs },
          );
          return create(CreateChatInviteLinkReplySchema, { inviteLink: link.invite_link });
        } catch (error) {
          return create(CreateChatInviteLinkReplySchema, { error: telegramErrorOrThrow(error) });
        }
      },
      logger,
    ),
  ];
}

function memberReply(member: ChatMember): GetChatMemberReply {
  switch (member.status) {
    case 'creator':
      return create(GetChatMemberReplySchema, {
        status: member.status,
        isMember: true,
        isAnonymous: member.is_anonymous,
        canRestrictMembers: true,
        canDeleteMessages: true,
        canInviteUsers: true,
        isBot: member.user.is_bot,
      });
    case 'administrator':
      return create(GetChatMemberReplySchema, {
        status: member.status,
        isMember: true,
        isAnonymous: member.is_anonymous,
        canRestrictMembers: member.can_restrict_members,
        canDeleteMessages: member.can_delete_messages,
        canInviteUsers: member.can_invite_users,
        isBot: member.user.is_bot,
      });
    case 'member':
      return create(GetChatMemberReplySchema, {
        status: member.status,
        isMember: true,
        isBot: member.user.is_bot,
      });
    case 'restricted':
      return create(GetChatMemberReplySchema, {
        status: member.status,
        isMember: member.is_member,
        canSendMessages: member.can_send_messages,
        untilDate: member.until_date,
        isBot: member.user.is_bot,
      });
    case 'left':
      return create(GetChatMemberReplySchema, {
        status: member.status,
        isMember: false,
        isBot: member.user.is_bot,
      });
    case 'kicked':
      return create(GetChatMemberReplySchema, {
        status: member.status,
        isMember: false,
        untilDate: member.until_date,
        isBot: member.user.is_bot,
      });
    default:
      return assertNever(member);
  }
}

function chatReply(chat: {
  id: number;
  type: string;
  title?: string;
  username?: string;
  invite_link?: string;
}): GetChatReply {
  return create(GetChatReplySchema, {
    id: String(chat.id),
    type: chat.type,
    title: chat.title ?? '',
    username: chat.username ?? '',
    inviteLink: chat.invite_link ?? '',
  });
}

function telegramErrorOrThrow(error: unknown) {
  const failure = classifyTelegramFailure(error);
  if (failure.kind === 'network') throw new Error(`Telegram unreachable: ${failure.description}`);
  return create(TelegramErrorSchema, {
    errorCode: failure.errorCode,
    description: failure.description,
    retryAfter: failure.kind === 'rate_limited' ? failure.retryAfterSeconds : 0,
  });
}

function assertNever(value: never): never {
  throw new Error(`unexpected chat member ${JSON.stringify(value)}`);
}
