// The catalogue of domain events: each type name maps to its protobuf schema and to the
// aggregate whose id goes into the subject. Adding an event means adding one line here.
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import {
  ActionExecutedSchema,
  BotRegisteredSchema,
  BotStatusChangedSchema,
} from '../gen/nezuko/events/v1/bot_pb.js';
import {
  BotChatAccessLostSchema,
  BotLifecycleChangedSchema,
  TelegramApiCalledSchema,
} from '../gen/nezuko/events/v1/bot_fleet_pb.js';
import {
  ChannelLinkedSchema,
  ChannelUnlinkedSchema,
  GroupEnabledChangedSchema,
} from '../gen/nezuko/events/v1/group_pb.js';
import {
  GroupBotLeftSchema,
  GroupRecheckRequestedSchema,
  GroupSyncedSchema,
} from '../gen/nezuko/events/v1/group_maintenance_pb.js';
import { GroupMigratedSchema } from '../gen/nezuko/events/v1/migration_pb.js';
import { AccessRestoredSchema } from '../gen/nezuko/events/v1/access_pb.js';
import { GroupSettingsChangedSchema } from '../gen/nezuko/events/v1/settings_pb.js';
import {
  AdminCommandReceivedSchema,
  ButtonPressedSchema,
  ChannelMemberChangedSchema,
  JoinRequestedSchema,
  MemberJoinedSchema,
  MemberUpdatedSchema,
  MessageReceivedSchema,
  VerifyPressedSchema,
} from '../gen/nezuko/events/v1/telegram_pb.js';
import { VerificationDecidedSchema } from '../gen/nezuko/events/v1/verification_pb.js';
import {
  AdminCreatedSchema,
  AdminDeletedSchema,
  AdminRoleChangedSchema,
  AuditRecordedSchema,
} from '../gen/nezuko/events/v1/admin_pb.js';
import {
  CommandRequestedSchema,
  CommandStatusChangedSchema,
} from '../gen/nezuko/events/v1/command_pb.js';

// bot: a bot's lifecycle and its Telegram calls; group: a protected group's configuration
// (small, replayed by verification at start); chat: what members did in a group;
// channel: membership changes in a linked channel; verify: decisions; admin: dashboard
// accounts; audit: the audit trail (id = resource type); command: the admin command queue.
export type Aggregate =
  'bot' | 'group' | 'chat' | 'channel' | 'verify' | 'admin' | 'audit' | 'command';

interface EventSpec<S extends DescMessage> {
  readonly schema: S;
  readonly aggregate: Aggregate;
  /** The aggregate id this event belongs to; it becomes a subject token. */
  readonly aggregateId: (event: MessageShape<S>) => string;
}

const spec = <S extends DescMessage>(
  schema: S,
  aggregate: Aggregate,
  aggregateId: (event: MessageShape<S>) => string,
): EventSpec<S> => ({ schema, aggregate, aggregateId });

export const eventCatalogue = {
  'bot.registered': spec(BotRegisteredSchema, 'bot', (e) => e.botId),
  'bot.status_changed': spec(BotStatusChangedSchema, 'bot', (e) => e.botId),
  'bot.action_executed': spec(ActionExecutedSchema, 'bot', (e) => e.botId),
  'bot.lifecycle_changed': spec(BotLifecycleChangedSchema, 'bot', (e) => e.botId),
  'bot.api_called': spec(TelegramApiCalledSchema, 'bot', (e) => e.botId),
  'bot.chat_access_lost': spec(BotChatAccessLostSchema, 'bot', (e) => e.botId),
  'group.channel_linked': spec(ChannelLinkedSchema, 'group', (e) => e.groupId),
  'group.channel_unlinked': spec(ChannelUnlinkedSchema, 'group', (e) => e.groupId),
  'group.enabled_changed': spec(GroupEnabledChangedSchema, 'group', (e) => e.groupId),
  'group.migrated': spec(GroupMigratedSchema, 'group', (e) => e.groupId),
  'group.settings_changed': spec(GroupSettingsChangedSchema, 'group', (e) => e.groupId),
  'group.synced': spec(GroupSyncedSchema, 'group', (e) => e.groupId),
  'group.bot_left': spec(GroupBotLeftSchema, 'group', (e) => e.groupId),
  'chat.member_joined': spec(MemberJoinedSchema, 'chat', (e) => e.groupId),
  'chat.message_received': spec(MessageReceivedSchema, 'chat', (e) => e.groupId),
  'chat.verify_pressed': spec(VerifyPressedSchema, 'chat', (e) => e.groupId),
  'chat.command_received': spec(AdminCommandReceivedSchema, 'chat', (e) => e.groupId),
  'chat.join_requested': spec(JoinRequestedSchema, 'chat', (e) => e.groupId),
  'chat.member_updated': spec(MemberUpdatedSchema, 'chat', (e) => e.groupId),
  'chat.button_pressed': spec(ButtonPressedSchema, 'chat', (e) => e.groupId),
  'channel.member_changed': spec(ChannelMemberChangedSchema, 'channel', (e) => e.channelId),
  'verify.decided': spec(VerificationDecidedSchema, 'verify', (e) => e.groupId),
  'verify.recheck_requested': spec(GroupRecheckRequestedSchema, 'verify', (e) => e.groupId),
  'verify.access_restored': spec(AccessRestoredSchema, 'verify', (e) => e.groupId),
  'admin.created': spec(AdminCreatedSchema, 'admin', (e) => e.adminId),
  'admin.role_changed': spec(AdminRoleChangedSchema, 'admin', (e) => e.adminId),
  'admin.deleted': spec(AdminDeletedSchema, 'admin', (e) => e.adminId),
  'audit.recorded': spec(AuditRecordedSchema, 'audit', (e) => e.resourceType),
  'command.requested': spec(CommandRequestedSchema, 'command', (e) => e.commandId),
  'command.status_changed': spec(CommandStatusChangedSchema, 'command', (e) => e.commandId),
} as const;

export type EventCatalogue = typeof eventCatalogue;
export type EventType = keyof EventCatalogue;
export type EventOf<T extends EventType> = MessageShape<EventCatalogue[T]['schema']>;

/** A decoded event as a discriminated union, so consumers can switch exhaustively. */
export type DomainEvent = { [T in EventType]: { type: T; event: EventOf<T> } }[EventType];

export const eventTypes = Object.keys(eventCatalogue) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalogue, value);
}
