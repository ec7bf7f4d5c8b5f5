// Pure translation of the operational events (issue 3's bot fleet, issue 5's command
// service) into read-model rows: Telegram API calls, bot lifecycle, audit entries, admin
// commands and group settings.
import {
  BotLifecycle,
  CommandStatus,
  GroupSettingsSchema,
  toJson,
  type Actor,
  type EventOf,
} from '@nezuko/proto';
import { PoisonMessageError } from '@nezuko/kit';
import { requireId, type EventMeta } from './records.ts';

export interface ApiCallRecord {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly botId: string;
  readonly chatId: string | null;
  readonly method: string;
  readonly ok: boolean;
  readonly errorCode: number | null;
  readonly latencyMs: number;
}

export interface AuditRecord {
  readonly seq: number;
  readonly occurredAt: Date;
  readonly actor: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly details: Record<string, unknown>;
}

export type CommandState = 'pending' | 'running' | 'succeeded' | 'failed';

export interface CommandRecord {
  readonly commandId: string;
  readonly kind: string | null;
  readonly status: CommandState;
  readonly actor: string | null;
  readonly groupId: string | null;
  readonly botId: string | null;
  readonly error: string | null;
  readonly at: Date;
}

export type Lifecycle = 'enabled' | 'disabled' | 'deleted';

const idOrNull = (id: string) => (id === '0' || id === '' ? null : id);
const orNull = (value: string) => (value === '' ? null : value);

export function actorName(actor: Actor | undefined): string {
  const who = actor?.who;
  switch (who?.case) {
    case 'adminEmail':
      return who.value;
    case 'telegramUserId':
      return `tg:${who.value}`;
    case 'system':
      return `system:${who.value}`;
    case undefined:
      return 'unknown';
    default:
      return assertNeverCase(who);
  }
}

function assertNeverCase(value: never): never {
  throw new PoisonMessageError(`unknown actor ${JSON.stringify(value)}`);
}

export function toApiCall(event: EventOf<'bot.api_called'>, meta: EventMeta): ApiCallRecord {
  requireId('bot_id', event.botId);
  if (event.method === '') throw new PoisonMessageError('bot.api_called without a method');
  return {
    seq: meta.seq,
    occurredAt: meta.occurredAt,
    botId: event.botId,
    chatId: idOrNull(event.chatId),
    method: event.method,
    ok: event.ok,
    errorCode: event.ok || event.errorCode === 0 ? null : event.errorCode,
    latencyMs: event.latencyMs,
  };
}

export function toAudit(event: EventOf<'audit.recorded'>, meta: EventMeta): AuditRecord {
  if (event.action === '') throw new PoisonMessageError('audit.recorded without an action');
  const details: Record<string, unknown> = { succeeded: event.succeeded };
  if (event.oldValue) details.old_value = event.oldValue;
  if (event.newValue) details.new_value = event.newValue;
  if (event.ip) details.ip = event.ip;
  if (event.userAgent) details.user_agent = event.userAgent;
  if (event.requestId) details.request_id = event.requestId;
  if (event.auditId) details.audit_id = event.auditId;
  return {
    seq: meta.seq,
    occurredAt: meta.occurredAt,
    actor: actorName(event.actor),
    action: event.action,
    resourceType: event.resourceType || 'unknown',
    resourceId: orNull(event.resourceId),
    details,
  };
}

export function commandState(status: CommandStatus): CommandState {
  switch (status) {
    case CommandStatus.PENDING:
    case CommandStatus.UNSPECIFIED:
      return 'pending';
    case CommandStatus.RUNNING:
      return 'running';
    case CommandStatus.SUCCEEDED:
      return 'succeeded';
    case CommandStatus.FAILED:
      return 'failed';
    default:
      throw new PoisonMessageError(`unknown command status ${String(status)}`);
  }
}

export function toCommandRequested(
  event: EventOf<'command.requested'>,
  meta: EventMeta,
): CommandRecord {
  if (event.commandId === '') throw new PoisonMessageError('command without an id');
  return {
    commandId: event.commandId,
    kind: event.type || 'unknown',
    status: 'pending',
    actor: actorName(event.actor),
    groupId: idOrNull(event.groupId),
    botId: idOrNull(event.botId),
    error: null,
    at: meta.occurredAt,
  };
}

export function toCommandStatus(
  event: EventOf<'command.status_changed'>,
  meta: EventMeta,
): CommandRecord {
  if (event.commandId === '') throw new PoisonMessageError('command without an id');
  const status = commandState(event.status);
  return {
    commandId: event.commandId,
    kind: null,
    status,
    actor: null,
    groupId: idOrNull(event.groupId),
    botId: idOrNull(event.botId),
    error:
      status === 'failed'
        ? event.description || (event.errorCode ? `error ${event.errorCode}` : 'failed')
        : null,
    at: meta.occurredAt,
  };
}

export function lifecycleName(lifecycle: BotLifecycle): Lifecycle {
  switch (lifecycle) {
    case BotLifecycle.ENABLED:
    case BotLifecycle.UNSPECIFIED:
      return 'enabled';
    case BotLifecycle.DISABLED:
      return 'disabled';
    case BotLifecycle.DELETED:
      return 'deleted';
    default:
      throw new PoisonMessageError(`unknown bot lifecycle ${String(lifecycle)}`);
  }
}

export function settingsJson(event: EventOf<'group.settings_changed'>): string {
  return JSON.stringify(
    event.settings ? toJson(GroupSettingsSchema, event.settings, { alwaysEmitImplicit: true }) : {},
  );
}
