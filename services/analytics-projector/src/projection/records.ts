// Pure translation of events into the rows the read model stores: enum names, empty
// protobuf strings to nulls, the UTC day of the rollup. No I/O, no clock: the time is
// the event's own occurred-at.
import {
  BotStatus as ProtoBotStatus,
  VerificationOutcome,
  VerificationTrigger,
  type EventOf,
} from '@nezuko/proto';
import { PoisonMessageError } from '@nezuko/kit';
import type { BotStatus, Outcome, Trigger } from '../readModel/index.ts';

/** Where an event sits in the stream and when it happened. */
export interface EventMeta {
  readonly seq: number;
  readonly eventId: string;
  readonly occurredAt: Date;
}

export interface VerificationRecord {
  readonly seq: number;
  readonly eventId: string;
  readonly occurredAt: Date;
  readonly day: string;
  readonly groupId: string;
  readonly botId: string;
  readonly userId: string;
  readonly username: string | null;
  readonly firstName: string | null;
  readonly outcome: Outcome;
  readonly trigger: Trigger;
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly missingChannelIds: readonly string[];
  readonly reason: string | null;
}

export interface ChannelLink {
  readonly groupId: string;
  readonly groupTitle: string | null;
  readonly botId: string | null;
  readonly channel: {
    readonly channelId: string;
    readonly title: string | null;
    readonly username: string | null;
    readonly inviteLink: string | null;
  };
  readonly at: Date;
}

export interface BotStatusRecord {
  readonly botId: string;
  readonly status: BotStatus;
  readonly uptimeSeconds: number;
  /** Set only when the bot reports an error, so the last error stays visible. */
  readonly error: string | null;
  readonly at: Date;
}

/** The rollup's day: the UTC calendar date of the event, 'YYYY-MM-DD'. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function outcomeName(outcome: VerificationOutcome): Outcome {
  switch (outcome) {
    case VerificationOutcome.VERIFIED:
      return 'verified';
    case VerificationOutcome.RESTRICTED:
      return 'restricted';
    case VerificationOutcome.EXEMPT:
      return 'exempt';
    case VerificationOutcome.ERROR:
      return 'error';
    case VerificationOutcome.UNSPECIFIED:
      throw new PoisonMessageError('verify.decided without an outcome');
    default:
      return unknownEnum('outcome', outcome);
  }
}

export function triggerName(trigger: VerificationTrigger): Trigger {
  switch (trigger) {
    case VerificationTrigger.JOIN:
      return 'join';
    case VerificationTrigger.MESSAGE:
      return 'message';
    case VerificationTrigger.VERIFY_BUTTON:
      return 'verify_button';
    case VerificationTrigger.RECHECK:
      return 'recheck';
    case VerificationTrigger.UNSPECIFIED:
      throw new PoisonMessageError('verify.decided without a trigger');
    default:
      return unknownEnum('trigger', trigger);
  }
}

export function botStatusName(status: ProtoBotStatus): BotStatus {
  switch (status) {
    case ProtoBotStatus.RUNNING:
      return 'running';
    case ProtoBotStatus.STOPPED:
      return 'stopped';
    case ProtoBotStatus.ERROR:
      return 'error';
    case ProtoBotStatus.UNSPECIFIED:
      return 'unknown';
    default:
      return unknownEnum('bot status', status);
  }
}

// A value newer than this build's contract: the event is kept in the dead-letter stream
// (replayable once the projector knows it) rather than being counted wrongly.
function unknownEnum(what: string, value: never): never {
  throw new PoisonMessageError(`unknown ${what} ${String(value)}`);
}

export function toVerificationRecord(
  event: EventOf<'verify.decided'>,
  meta: EventMeta,
): VerificationRecord {
  const userId = event.user?.id ?? '0';
  requireId('group_id', event.groupId);
  requireId('user.id', userId);
  return {
    seq: meta.seq,
    eventId: meta.eventId,
    occurredAt: meta.occurredAt,
    day: utcDay(meta.occurredAt),
    groupId: event.groupId,
    botId: event.botId,
    userId,
    username: orNull(event.user?.username),
    firstName: orNull(event.user?.firstName),
    outcome: outcomeName(event.outcome),
    trigger: triggerName(event.trigger),
    cached: event.cached,
    latencyMs: event.latencyMs,
    missingChannelIds: event.missingChannelIds,
    reason: orNull(event.reason),
  };
}

export function toChannelLink(
  event: EventOf<'group.channel_linked'>,
  meta: EventMeta,
): ChannelLink {
  requireId('group_id', event.groupId);
  requireId('channel.id', event.channel?.id ?? '0');
  return {
    groupId: event.groupId,
    groupTitle: orNull(event.groupTitle),
    botId: event.botId === '0' ? null : event.botId,
    channel: {
      channelId: event.channel?.id ?? '0',
      title: orNull(event.channel?.title),
      username: orNull(event.channel?.username),
      inviteLink: orNull(event.channel?.inviteLink),
    },
    at: meta.occurredAt,
  };
}

export function toBotStatus(
  event: EventOf<'bot.status_changed'>,
  meta: EventMeta,
): BotStatusRecord {
  requireId('bot_id', event.botId);
  const status = botStatusName(event.status);
  return {
    botId: event.botId,
    status,
    uptimeSeconds: event.uptimeSeconds,
    error: status === 'error' ? (orNull(event.reason) ?? 'unknown error') : null,
    at: meta.occurredAt,
  };
}

/** Protobuf has no null: an unset int64 id arrives as '0', which no Telegram chat has. */
export function requireId(field: string, id: string): void {
  if (id === '0' || id === '') throw new PoisonMessageError(`event has no ${field}`);
}

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
