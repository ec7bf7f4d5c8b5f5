// `message` updates -> facts: joins by service message, a group's move to a supergroup,
// commands (in a group, or /start and /help in a private chat) and what members wrote.
import {
  AdminCommandReceivedSchema,
  create,
  GroupMigratedSchema,
  JoinSource,
  MemberJoinedSchema,
  MessageReceivedSchema,
} from '@nezuko/proto';
import type { TgMessage } from './schema.ts';
import {
  eventId,
  events,
  ignored,
  isGroup,
  telegramUser,
  type Translation,
  type UpdateContext,
} from './translation.ts';

/** Service messages other than joins and migrations: not something a member wrote. */
const serviceMessageFields = [
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
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

export function translateMessage(ctx: UpdateContext, message: TgMessage): Translation {
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
  if (message.migrate_to_chat_id !== undefined) {
    // The group's state moves with it before any member writes in the supergroup. The id is
    // the one a refused action's migration also derives, so the two record one move.
    return events(ctx, 'message', [
      {
        type: 'group.migrated',
        id: `tg:${bot.botId}:migrate:${groupId}`,
        occurredAt: at,
        event: create(GroupMigratedSchema, {
          groupId,
          newGroupId: String(message.migrate_to_chat_id),
          botId: bot.botId,
        }),
      },
    ]);
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

/** /start and /help in a private chat: the chat id stands where a group id would. */
function translatePrivateCommand(ctx: UpdateContext, message: TgMessage): Translation {
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
