// The projection's decision, pure: which read-model change an event makes (or none).
// Validation happens here, before any transaction opens, so a malformed event is
// dead-lettered without touching Postgres.
import type { DomainEvent } from '@nezuko/proto';
import type { ReadModelName } from '../readModel/index.ts';
import {
  requireId,
  toBotStatus,
  toChannelLink,
  toVerificationRecord,
  type BotStatusRecord,
  type ChannelLink,
  type EventMeta,
  type VerificationRecord,
} from './records.ts';
import {
  lifecycleName,
  settingsJson,
  toApiCall,
  toAudit,
  toCommandRequested,
  toCommandStatus,
  type ApiCallRecord,
  type AuditRecord,
  type CommandRecord,
  type Lifecycle,
} from './operationsRecords.ts';

export type ReadModelChange =
  | { readonly kind: 'channel_linked'; readonly link: ChannelLink }
  | {
      readonly kind: 'channel_unlinked';
      readonly groupId: string;
      readonly channelId: string;
      readonly at: Date;
    }
  | {
      readonly kind: 'group_enabled';
      readonly groupId: string;
      readonly enabled: boolean;
      readonly at: Date;
    }
  | { readonly kind: 'verification'; readonly record: VerificationRecord }
  | {
      readonly kind: 'bot_registered';
      readonly botId: string;
      readonly username: string | null;
      readonly firstName: string | null;
      readonly at: Date;
    }
  | { readonly kind: 'bot_status'; readonly record: BotStatusRecord }
  | {
      readonly kind: 'bot_lifecycle';
      readonly botId: string;
      readonly lifecycle: Lifecycle;
      readonly at: Date;
    }
  | { readonly kind: 'api_call'; readonly record: ApiCallRecord }
  | { readonly kind: 'audit'; readonly record: AuditRecord }
  | { readonly kind: 'command'; readonly record: CommandRecord }
  | {
      readonly kind: 'group_settings';
      readonly groupId: string;
      readonly settings: string;
      readonly at: Date;
    };

export function planChange(domainEvent: DomainEvent, meta: EventMeta): ReadModelChange | null {
  switch (domainEvent.type) {
    case 'group.channel_linked':
      return { kind: 'channel_linked', link: toChannelLink(domainEvent.event, meta) };
    case 'group.channel_unlinked': {
      const { groupId, channelId } = domainEvent.event;
      requireId('group_id', groupId);
      requireId('channel_id', channelId);
      return { kind: 'channel_unlinked', groupId, channelId, at: meta.occurredAt };
    }
    case 'group.enabled_changed': {
      const { groupId, enabled } = domainEvent.event;
      requireId('group_id', groupId);
      return { kind: 'group_enabled', groupId, enabled, at: meta.occurredAt };
    }
    case 'verify.decided':
      return { kind: 'verification', record: toVerificationRecord(domainEvent.event, meta) };
    case 'bot.registered': {
      const { botId, username, firstName } = domainEvent.event;
      requireId('bot_id', botId);
      return {
        kind: 'bot_registered',
        botId,
        username: username || null,
        firstName: firstName || null,
        at: meta.occurredAt,
      };
    }
    case 'bot.status_changed':
      return { kind: 'bot_status', record: toBotStatus(domainEvent.event, meta) };
    // Facts other services act on; nothing on the dashboard reads them yet.
    case 'bot.lifecycle_changed': {
      const { botId, lifecycle } = domainEvent.event;
      requireId('bot_id', botId);
      return {
        kind: 'bot_lifecycle',
        botId,
        lifecycle: lifecycleName(lifecycle),
        at: meta.occurredAt,
      };
    }
    case 'bot.api_called':
      return { kind: 'api_call', record: toApiCall(domainEvent.event, meta) };
    case 'audit.recorded':
      return { kind: 'audit', record: toAudit(domainEvent.event, meta) };
    case 'command.requested':
      return { kind: 'command', record: toCommandRequested(domainEvent.event, meta) };
    case 'command.status_changed':
      return { kind: 'command', record: toCommandStatus(domainEvent.event, meta) };
    case 'group.settings_changed': {
      requireId('group_id', domainEvent.event.groupId);
      return {
        kind: 'group_settings',
        groupId: domainEvent.event.groupId,
        settings: settingsJson(domainEvent.event),
        at: meta.occurredAt,
      };
    }
    // A migrated group (group.migrated) keeps its rows under the old id until the
    // projector follows it. group.synced / group.bot_left / verify.recheck_requested
    // (the command queue's group maintenance) are not projected yet (docs/FLOWS.md).
    case 'bot.action_executed':
    case 'bot.chat_access_lost':
    case 'group.migrated':
    case 'group.synced':
    case 'group.bot_left':
    case 'verify.recheck_requested':
    case 'chat.member_joined':
    case 'chat.message_received':
    case 'chat.verify_pressed':
    case 'chat.command_received':
    case 'channel.member_changed':
    case 'admin.created':
    case 'admin.role_changed':
    case 'admin.deleted':
    case 'chat.join_requested':
    case 'chat.member_updated':
    case 'chat.button_pressed':
      return null;
    default:
      return assertNever(domainEvent);
  }
}

/** The read model a change touches: the topic of its "model changed" notice. */
export function changedModel(change: ReadModelChange): ReadModelName {
  switch (change.kind) {
    case 'channel_linked':
    case 'channel_unlinked':
    case 'group_enabled':
    case 'group_settings':
      return 'groups';
    case 'api_call':
      return 'api_calls';
    case 'audit':
      return 'audit';
    case 'command':
      return 'commands';
    case 'verification':
      return 'verifications';
    case 'bot_registered':
    case 'bot_status':
    case 'bot_lifecycle':
      return 'bots';
    default:
      return assertNever(change);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
