// The command queue's domain, pure: which Telegram action an admin command becomes.
// reverify_group is no Telegram action (null): verification re-checks the group's members
// when the command service appends verify.recheck_requested.
import {
  create,
  DeleteMessageSchema,
  LeaveChatSchema,
  LiftRestrictionSchema,
  RemoveMemberSchema,
  RestrictMemberSchema,
  SendTextSchema,
  SyncChatSchema,
  TelegramActionSchema,
  UnbanMemberSchema,
  type DomainEvent,
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
  /** The group's linked channels, for sync_members. */
  readonly channelIds?: readonly string[];
}

/** The channels linked to a group now, from its group events oldest first. */
export function linkedChannelIds(events: readonly DomainEvent[]): string[] {
  const linked = new Set<string>();
  for (const event of events) {
    if (event.type === 'group.channel_linked') {
      const id = event.event.channel?.id;
      if (id !== undefined && id !== '0') linked.add(id);
    } else if (event.type === 'group.channel_unlinked') linked.delete(event.event.channelId);
  }
  return [...linked];
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
    case 'unban_user':
      return { case: 'unban', value: create(UnbanMemberSchema, { userId }) };
    case 'leave_group':
      return { case: 'leave', value: create(LeaveChatSchema, {}) };
    case 'sync_members':
      return {
        case: 'sync',
        value: create(SyncChatSchema, { channelIds: [...(command.channelIds ?? [])] }),
      };
    case 'reverify_group':
      return null;
    default:
      return assertNever(command.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled command type ${String(value)}`);
}
