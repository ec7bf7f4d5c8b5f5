// Telegram update -> Nezuko facts. Pure: no I/O, no clock (an event's time is the
// update's own date, or the receive time passed in). Every update is validated first; a malformed one is reported, never
// thrown, so one bad update cannot stop the poller.
//
// Event ids are deterministic so a re-fetched update (after a crash before the offset was
// confirmed) is stored once: `tg:<botId>:<update_id>`, or `tg:<botId>:<update_id>:<userId>`
// when one update yields one event per member.
import {
  AdminCommandReceivedSchema,
  ButtonPressedSchema,
  ChannelMemberChangedSchema,
  create,
  JoinRequestedSchema,
  JoinSource,
  MemberJoinedSchema,
  MemberUpdatedSchema,
  MessageReceivedSchema,
  TelegramUserSchema,
  VerifyPressedSchema,
  type EventOf,
  type EventType,
  type TelegramUser,
} from '@nezuko/proto';
import type { z } from 'zod';
import {
  updateSchema,
  type TgChat,
  type TgChatJoinRequest,
  type TgChatMemberUpdated,
  type TgMessage,
  type TgUser,
} from './schema.ts';

export interface BotIdentity {
  readonly botId: string;
  readonly username: string;
}

export type TranslatedEvent = {
  [T in EventType]: {
    readonly type: T;
    readonly id: string;
    readonly occurredAt: Date;
    readonly event: EventOf<T>;
  };
}[EventType];

export type UpdateKind =
  | 'message'
  | 'callback_query'
  | 'chat_member'
  | 'my_chat_member'
  | 'chat_join_request'
  | 'other'
  | 'unknown';

export type Translation =
  | {
      readonly kind: 'events';
      readonly updateId: number;
      readonly updateKind: UpdateKind;
      readonly events: readonly TranslatedEvent[];
    }
  /** A button press Nezuko does not own: Telegram still wants an answer, or the client spins. */
  | {
      readonly kind: 'answer_callback';
      readonly updateId: number;
      readonly updateKind: 'callback_query';
      readonly callbackQueryId: string;
    }
  | {
      readonly kind: 'ignored';
      readonly updateId: number;
      readonly updateKind: UpdateKind;
      readonly reason: string;
    }
  | {
      readonly kind: 'malformed';
      readonly updateId: number | undefined;
      readonly updateKind: UpdateKind;
      readonly reason: string;
    };

/** Callback data of the verify button: `nz:v:<targetUserId>`. */
const verifyData = /^nz:v:(\d{1,20})$/;
/** Callback data of Nezuko's other buttons (the /settings keyboard): `nz:s:...`. */
const settingsData = /^nz:s:[\w:-]{1,58}$/;

/** `receivedAt` dates facts whose update carries no date of its own (button presses). */
export function translateUpdate(bot: BotIdentity, raw: unknown, receivedAt: Date): Translation {
  const updateId = readUpdateId(raw);
  const parsed = updateSchema.safeParse(raw);
  const updateKind = kindOf(raw);
  if (!parsed.success) {
    return { kind: 'malformed', updateId, updateKind, reason: describeIssues(parsed.error) };
  }
  const update = parsed.data;
  const ctx: Context = { bot, updateId: update.update_id };
  if (update.message) return translateMessage(ctx, update.message);
  if (update.chat_member) return translateChatMember(ctx, update.chat_member);
  if (update.chat_join_request) return translateJoinRequest(ctx, update.chat_join_request);
  if (update.callback_query) {
    const query = update.callback_query;
    const match = verifyData.exec(query.data ?? '');
    const prompt = query.message;
    if (prompt && isGroup(prompt.chat) && settingsData.test(query.data ?? '')) {
      return events(ctx, 'callback_query', [
        {
          type: 'chat.button_pressed',
          id: eventId(ctx),
          occurredAt: receivedAt,
          event: create(ButtonPressedSchema, {
            botId: bot.botId,
            groupId: String(prompt.chat.id),
            user: telegramUser(query.from),
            callbackQueryId: query.id,
            messageId: String(prompt.message_id),
            data: query.data ?? '',
          }),
        },
      ]);
    }
    if (!match?.[1] || !prompt || !isGroup(prompt.chat)) {
      return {
        kind: 'answer_callback',
        updateId: ctx.updateId,
        updateKind: 'callback_query',
        callbackQueryId: query.id,
      };
    }
    return events(ctx, 'callback_query', [
      {
        type: 'chat.verify_pressed',
        id: eventId(ctx),
        occurredAt: receivedAt,
        event: create(VerifyPressedSchema, {
          botId: bot.botId,
          groupId: String(prompt.chat.id),
          user: telegramUser(query.from),
          callbackQueryId: query.id,
          promptMessageId: String(prompt.message_id),
          targetUserId: match[1],
        }),
      },
    ]);
  }
  return { kind: 'ignored', updateId: ctx.updateId, updateKind, reason: 'no fact Nezuko records' };
}

interface Context {
  readonly bot: BotIdentity;
  readonly updateId: number;
}

/** Service messages other than joins: they are not something a member wrote. */
const serviceMessageFields = [
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'boost_added',
  'chat_background_set',
  'proximity_alert_triggered',
  'write_access_allowed',
  'users_shared',
  'chat_shared',
] as const;

function translateMessage(ctx: Context, message: TgMessage): Translation {
  const { bot } = ctx;
  if (message.chat.type === 'private') return translatePrivateCommand(ctx, message);
  if (!isGroup(message.chat))
    return ignored(ctx, 'message', `message in a ${message.chat.type} chat`);
  const at = new Date(message.date * 1000);
  const groupId = String(message.chat.id);
  const groupTitle = message.chat.title ?? '';

  if (message.new_chat_members && message.new_chat_members.length > 0) {
    const people = message.new_chat_members.filter((member) => !member.is_bot);
    if (people.length === 0) return ignored(ctx, 'message', 'only bots joined');
    return events(
      ctx,
      'message',
      people.map((member) => ({
        type: 'chat.member_joined',
        id: `${eventId(ctx)}:${member.id}`,
        occurredAt: at,
        event: create(MemberJoinedSchema, {
          botId: bot.botId,
          groupId,
          groupTitle,
          user: telegramUser(member),
          source: JoinSource.SERVICE_MESSAGE,
          messageId: String(message.message_id),
        }),
      })),
    );
  }
  const serviceField = serviceMessageFields.find((field) => field in message);
  if (serviceField) return ignored(ctx, 'message', `service message (${serviceField})`);
  if (!message.from)
    return {
      kind: 'malformed',
      updateId: ctx.updateId,
      updateKind: 'message',
      reason: 'group message without from',
    };

  const senderChatId = message.sender_chat ? String(message.sender_chat.id) : '0';
  const command = parseCommand(message);
  if (command) {
    if (command.addressee && command.addressee.toLowerCase() !== bot.username.toLowerCase()) {
      return ignored(ctx, 'message', `command for @${command.addressee}`);
    }
    return events(ctx, 'message', [
      {
        type: 'chat.command_received',
        id: eventId(ctx),
        occurredAt: at,
        event: create(AdminCommandReceivedSchema, {
          botId: bot.botId,
          groupId,
          groupTitle,
          user: telegramUser(message.from),
          senderChatId,
          command: command.name,
          args: command.args,
          messageId: String(message.message_id),
        }),
      },
    ]);
  }
  return events(ctx, 'message', [
    {
      type: 'chat.message_received',
      id: eventId(ctx),
      occurredAt: at,
      event: create(MessageReceivedSchema, {
        botId: bot.botId,
        groupId,
        groupTitle,
        user: telegramUser(message.from),
        senderChatId,
        messageId: String(message.message_id),
      }),
    },
  ]);
}

function translateChatMember(ctx: Context, change: TgChatMemberUpdated): Translation {
  const { bot } = ctx;
  const at = new Date(change.date * 1000);
  const user = change.new_chat_member.user;
  const oldStatus = change.old_chat_member?.status ?? 'left';
  const newStatus = change.new_chat_member.status;
  if (change.chat.type === 'channel') {
    return events(ctx, 'chat_member', [
      {
        type: 'channel.member_changed',
        id: eventId(ctx),
        occurredAt: at,
        event: create(ChannelMemberChangedSchema, {
          botId: bot.botId,
          channelId: String(change.chat.id),
          userId: String(user.id),
          oldStatus: describeStatus(oldStatus, change.old_chat_member?.is_member),
          newStatus: describeStatus(newStatus, change.new_chat_member.is_member),
        }),
      },
    ]);
  }
  if (!isGroup(change.chat))
    return ignored(ctx, 'chat_member', `chat_member in a ${change.chat.type} chat`);
  const wasIn = isInside(oldStatus, change.old_chat_member?.is_member);
  const isIn =
    newStatus === 'member' ||
    (newStatus === 'restricted' && change.new_chat_member.is_member === true);
  if (wasIn || !isIn) {
    // Promotions and demotions change who may use the admin commands; a restriction an
    // admin other than the bot set or lifted is theirs, which Nezuko leaves alone. (A
    // restricted member leaving does it themselves: that is not an admin's restriction.)
    const byHuman =
      String(change.from.id) !== bot.botId &&
      change.from.id !== user.id &&
      (oldStatus === 'restricted' || newStatus === 'restricted');
    if (adminStatuses.has(oldStatus) || adminStatuses.has(newStatus) || byHuman) {
      return events(ctx, 'chat_member', [
        {
          type: 'chat.member_updated',
          id: eventId(ctx),
          occurredAt: at,
          event: create(MemberUpdatedSchema, {
            botId: bot.botId,
            groupId: String(change.chat.id),
            user: telegramUser(user),
            oldStatus: describeStatus(oldStatus, change.old_chat_member?.is_member),
            newStatus: describeStatus(newStatus, change.new_chat_member.is_member),
            actorUserId: String(change.from.id),
          }),
        },
      ]);
    }
    return ignored(ctx, 'chat_member', `${oldStatus} -> ${newStatus} is not a join`);
  }
  if (user.is_bot) return ignored(ctx, 'chat_member', 'a bot joined');
  return events(ctx, 'chat_member', [
    {
      type: 'chat.member_joined',
      id: eventId(ctx),
      occurredAt: at,
      event: create(MemberJoinedSchema, {
        botId: bot.botId,
        groupId: String(change.chat.id),
        groupTitle: change.chat.title ?? '',
        user: telegramUser(user),
        source: JoinSource.CHAT_MEMBER,
        messageId: '0',
      }),
    },
  ]);
}

const adminStatuses = new Set(['creator', 'administrator']);

/** /start and /help in a private chat: the chat id stands where a group id would. */
function translatePrivateCommand(ctx: Context, message: TgMessage): Translation {
  const command = message.from ? parseCommand(message) : undefined;
  if (!command || !message.from) return ignored(ctx, 'message', 'message in a private chat');
  return events(ctx, 'message', [
    {
      type: 'chat.command_received',
      id: eventId(ctx),
      occurredAt: new Date(message.date * 1000),
      event: create(AdminCommandReceivedSchema, {
        botId: ctx.bot.botId,
        groupId: String(message.chat.id),
        user: telegramUser(message.from),
        senderChatId: '0',
        command: command.name,
        args: command.args,
        messageId: String(message.message_id),
      }),
    },
  ]);
}

function translateJoinRequest(ctx: Context, request: TgChatJoinRequest): Translation {
  if (!isGroup(request.chat))
    return ignored(ctx, 'chat_join_request', `join request in a ${request.chat.type} chat`);
  if (request.from.is_bot) return ignored(ctx, 'chat_join_request', 'a bot asked to join');
  return events(ctx, 'chat_join_request', [
    {
      type: 'chat.join_requested',
      id: eventId(ctx),
      occurredAt: new Date(request.date * 1000),
      event: create(JoinRequestedSchema, {
        botId: ctx.bot.botId,
        groupId: String(request.chat.id),
        groupTitle: request.chat.title ?? '',
        user: telegramUser(request.from),
        userChatId: String(request.user_chat_id),
      }),
    },
  ]);
}

function isInside(status: string, isMember: boolean | undefined): boolean {
  if (status === 'left' || status === 'kicked') return false;
  if (status === 'restricted') return isMember === true;
  return true;
}

/** A restricted member's `is_member` decides whether they are in the chat; say so. */
function describeStatus(status: string, isMember: boolean | undefined): string {
  if (status !== 'restricted') return status;
  return isMember === false ? 'restricted_left' : 'restricted';
}

interface ParsedCommand {
  readonly name: string;
  readonly addressee: string | undefined;
  readonly args: string[];
}

function parseCommand(message: TgMessage): ParsedCommand | undefined {
  const text = message.text;
  const first = message.entities?.[0];
  if (!text || !first || first.type !== 'bot_command' || first.offset !== 0) return undefined;
  const token = text.slice(1, first.length);
  const at = token.indexOf('@');
  const name = (at === -1 ? token : token.slice(0, at)).toLowerCase();
  if (name === '') return undefined;
  return {
    name,
    addressee: at === -1 ? undefined : token.slice(at + 1),
    args: text
      .slice(first.length)
      .split(/\s+/)
      .filter((arg) => arg !== ''),
  };
}

function isGroup(chat: TgChat): boolean {
  return chat.type === 'group' || chat.type === 'supergroup';
}

function telegramUser(user: TgUser): TelegramUser {
  return create(TelegramUserSchema, {
    id: String(user.id),
    username: user.username ?? '',
    firstName: user.first_name,
    isBot: user.is_bot,
  });
}

function eventId(ctx: Context): string {
  return `tg:${ctx.bot.botId}:${ctx.updateId}`;
}

function events(ctx: Context, updateKind: UpdateKind, list: TranslatedEvent[]): Translation {
  return { kind: 'events', updateId: ctx.updateId, updateKind, events: list };
}

function ignored(ctx: Context, updateKind: UpdateKind, reason: string): Translation {
  return { kind: 'ignored', updateId: ctx.updateId, updateKind, reason };
}

function readUpdateId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

const subscribedKinds = [
  'message',
  'callback_query',
  'chat_member',
  'my_chat_member',
  'chat_join_request',
] as const;

function kindOf(raw: unknown): UpdateKind {
  if (typeof raw !== 'object' || raw === null) return 'unknown';
  const kind = subscribedKinds.find((k) => k in raw);
  if (kind) return kind;
  return Object.keys(raw).some((key) => key !== 'update_id') ? 'other' : 'unknown';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(update)'}: ${issue.message}`)
    .join('; ');
}
