// Asks the gateway that owns a group's bot about Telegram chats (NATS request-reply; only
// the gateway holds tokens). A Telegram error is an answer and is returned as such, except
// the transient ones (429, 5xx) which throw like a transport failure: asking again later
// will give a real answer, so the event is retried rather than decided on.
import { request, type Naming } from '@nezuko/kit';
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
  type TelegramError,
} from '@nezuko/proto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { NatsConnection } from '@nats-io/transport-node';

export class LookupUnavailableError extends Error {
  override readonly name = 'LookupUnavailableError';
}

type Refused = { readonly ok: false; readonly reason: string };

export type MemberAnswer =
  | {
      readonly ok: true;
      readonly status: string;
      readonly isMember: boolean;
      readonly canRestrict: boolean;
      readonly canDelete: boolean;
      readonly canInvite: boolean;
      /** For a restricted member: whether whoever restricted them left them writing. */
      readonly canSendMessages: boolean;
    }
  | { readonly ok: false; readonly reason: string };

export type AdminsAnswer =
  | { readonly ok: true; readonly userIds: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export type InviteLinkAnswer =
  | { readonly ok: true; readonly inviteLink: string }
  | { readonly ok: false; readonly reason: string };

export type ChatAnswer =
  | {
      readonly ok: true;
      readonly id: string;
      readonly type: string;
      readonly title: string;
      readonly username: string;
      readonly inviteLink: string;
    }
  | { readonly ok: false; readonly reason: string };

export interface TelegramLookups {
  getChatMember(botId: string, chatId: string, userId: string): Promise<MemberAnswer>;
  getChat(botId: string, chat: string): Promise<ChatAnswer>;
  getChatAdministrators(botId: string, chatId: string): Promise<AdminsAnswer>;
  createChatInviteLink(botId: string, chatId: string, name: string): Promise<InviteLinkAnswer>;
}

const memberStatuses = new Set(['creator', 'administrator', 'member']);

/** In the chat: owner, admin, member, or restricted while still inside. */
export function isInChat(status: string, isMember: boolean): boolean {
  return memberStatuses.has(status) || (status === 'restricted' && isMember);
}

export function createTelegramLookups(
  nc: NatsConnection,
  names: Naming,
  timeoutMs = 5000,
): TelegramLookups {
  /** One look-up: the reply, or Telegram's refusal as an answer (transient ones throw). */
  const ask = async <Req extends DescMessage, Rep extends DescMessage>(
    subject: string,
    reqSchema: Req,
    req: MessageShape<Req>,
    repSchema: Rep,
  ): Promise<{ readonly ok: true; readonly reply: MessageShape<Rep> } | Refused> => {
    const reply = await request(nc, names, subject, reqSchema, req, repSchema, timeoutMs).catch(
      unavailable,
    );
    const error = (reply as { error?: TelegramError }).error;
    if (error && error.errorCode > 0) return { ok: false, reason: answerOrThrow(error) };
    return { ok: true, reply };
  };

  return {
    async getChatMember(botId, chatId, userId) {
      const answer = await ask(
        subjects.rpc(botId, 'get_chat_member'),
        GetChatMemberRequestSchema,
        create(GetChatMemberRequestSchema, { chatId, userId }),
        GetChatMemberReplySchema,
      );
      if (!answer.ok) return answer;
      const { reply } = answer;
      return {
        ok: true,
        status: reply.status,
        isMember: isInChat(reply.status, reply.isMember),
        canRestrict: reply.canRestrictMembers,
        canDelete: reply.canDeleteMessages,
        canInvite: reply.canInviteUsers,
        canSendMessages: reply.canSendMessages,
      };
    },
    async getChatAdministrators(botId, chatId) {
      const answer = await ask(
        subjects.rpc(botId, 'get_chat_administrators'),
        GetChatAdministratorsRequestSchema,
        create(GetChatAdministratorsRequestSchema, { chatId }),
        GetChatAdministratorsReplySchema,
      );
      if (!answer.ok) return answer;
      return { ok: true, userIds: answer.reply.administrators.map((a) => a.userId) };
    },
    async createChatInviteLink(botId, chatId, name) {
      const answer = await ask(
        subjects.rpc(botId, 'create_chat_invite_link'),
        CreateChatInviteLinkRequestSchema,
        create(CreateChatInviteLinkRequestSchema, { chatId, name }),
        CreateChatInviteLinkReplySchema,
      );
      if (!answer.ok) return answer;
      return { ok: true, inviteLink: answer.reply.inviteLink };
    },
    async getChat(botId, chat) {
      const answer = await ask(
        subjects.rpc(botId, 'get_chat'),
        GetChatRequestSchema,
        create(GetChatRequestSchema, { chat }),
        GetChatReplySchema,
      );
      if (!answer.ok) return answer;
      const { reply } = answer;
      return {
        ok: true,
        id: reply.id,
        type: reply.type,
        title: reply.title,
        username: reply.username,
        inviteLink: reply.inviteLink,
      };
    },
  };
}

function answerOrThrow(error: TelegramError): string {
  if (error.errorCode === 429 || error.errorCode >= 500) {
    throw new LookupUnavailableError(`Telegram answered ${error.errorCode} ${error.description}`);
  }
  return `${error.errorCode} ${error.description}`;
}

function unavailable(error: unknown): never {
  throw new LookupUnavailableError(`bot gateway unavailable: ${(error as Error).message}`, {
    cause: error,
  });
}
