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
import {
  subscriberDelta,
  toGroupMigration,
  toGroupSync,
  type GroupMigration,
  type GroupSyncRecord,
} from './groupLifecycle.ts';

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
    }
  | { readonly kind: 'group_synced'; readonly sync: GroupSyncRecord }
  | {
      readonly kind: 'group_bot_left';
      readonly groupId: string;
      readonly botId: string | null;
      readonly at: Date;
    }
  | { readonly kind: 'group_migrated'; readonly migration: GroupMigration }
  | {
      readonly kind: 'channel_subscribers';
      readonly channelId: string;
      readonly delta: -1 | 1;
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
    case 'group.synced':
      return { kind: 'group_synced', sync: toGroupSync(domainEvent.event, meta) };
    case 'group.bot_left': {
      const { groupId, botId } = domainEvent.event;
      requireId('group_id', groupId);
      return {
        kind: 'group_bot_left',
        groupId,
        botId: botId === '0' ? null : botId,
        at: meta.occurredAt,
      };
    }
    case 'group.migrated':
      return { kind: 'group_migrated', migration: toGroupMigration(domainEvent.event, meta) };
    case 'channel.member_changed': {
      const delta = subscriberDelta(domainEvent.event);
      return delta === 0
        ? null
        : {
            kind: 'channel_subscribers',
            channelId: domainEvent.event.channelId,
            delta,
            at: meta.occurredAt,
          };
    }
    // Facts other services act on; nothing on the dashboard reads them.
    case 'bot.action_executed':
    case 'bot.chat_access_lost':
    case 'verify.recheck_requested':
    case 'verify.access_restored':
    case 'chat.member_joined':
    case 'chat.message_received':
    case 'chat.verify_pressed':
    case 'chat.command_received':
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

/** The read models a change touches: the topics of its "model changed" notices. */
export function changedModels(change: ReadModelChange): readonly ReadModelName[] {
  switch (change.kind) {
    case 'channel_linked':
    case 'channel_unlinked':
    case 'group_enabled':
    case 'group_settings':
    case 'group_bot_left':
      return ['groups'];
    case 'group_synced':
      return ['groups', 'channels'];
    // The group's decisions and API calls now count under the new id.
    case 'group_migrated':
      return ['groups', 'verifications', 'api_calls'];
    case 'channel_subscribers':
      return ['channels'];
    case 'api_call':
      return ['api_calls'];
    case 'audit':
      return ['audit'];
    case 'command':
      return ['commands'];
    case 'verification':
      return ['verifications'];
    case 'bot_registered':
    case 'bot_status':
    case 'bot_lifecycle':
      return ['bots'];
    default:
      return assertNever(change);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
