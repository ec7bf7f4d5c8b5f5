// The command queue's domain, pure: which Telegram action an admin command becomes.
// A command type whose action the gateway does not offer yet maps to null.
import {
  create,
  DeleteMessageSchema,
  LiftRestrictionSchema,
  RemoveMemberSchema,
  RestrictMemberSchema,
  SendTextSchema,
  TelegramActionSchema,
  type TelegramAction,
} from '@nezuko/proto';

export const commandTypes = [
  'ban_user',
  'unban_user',
  'mute_user',
  'unmute_user',
  'send_message',
  'delete_message',
  'sync_members',
  'leave_group',
  'reverify_group',
] as const;

export type CommandType = (typeof commandTypes)[number];

export interface AdminCommand {
  readonly type: CommandType;
  readonly groupId: string;
  readonly userId?: string;
  readonly messageId?: string;
  readonly text?: string;
  /** Unix seconds; 0 = forever. */
  readonly untilDate?: number;
}

export function actionFor(
  command: AdminCommand,
  ids: { actionId: string; botId: string },
): TelegramAction | null {
  const base = { actionId: ids.actionId, botId: ids.botId, chatId: command.groupId };
  const kind = actionKind(command);
  return kind === null ? null : create(TelegramActionSchema, { ...base, kind });
}

function actionKind(command: AdminCommand): TelegramAction['kind'] | null {
  const userId = command.userId ?? '0';
  switch (command.type) {
    case 'mute_user':
      return {
        case: 'restrict',
        value: create(RestrictMemberSchema, { userId, untilDate: command.untilDate ?? 0 }),
      };
    case 'unmute_user':
      return { case: 'lift', value: create(LiftRestrictionSchema, { userId }) };
    case 'send_message':
      return { case: 'sendText', value: create(SendTextSchema, { text: command.text ?? '' }) };
    case 'delete_message':
      return {
        case: 'delete',
        value: create(DeleteMessageSchema, { messageId: command.messageId ?? '0' }),
      };
    case 'ban_user':
      return {
        case: 'remove',
        value: create(RemoveMemberSchema, {
          userId,
          kick: false,
          untilDate: command.untilDate ?? 0,
        }),
      };
    // No gateway action lifts a ban, leaves a chat, refreshes member counts or re-checks a
    // group's members yet: these answer 501 until the gateway offers them.
    case 'unban_user':
    case 'sync_members':
    case 'leave_group':
    case 'reverify_group':
      return null;
    default:
      return assertNever(command.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled command type ${String(value)}`);
}
