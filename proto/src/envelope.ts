// The event envelope travels in NATS headers; the body is the protobuf message alone.
import { randomUUID } from 'node:crypto';
import { isEventType, type EventType } from './events.ts';

export const headerNames = {
  msgId: 'Nats-Msg-Id',
  type: 'nz-type',
  occurredAt: 'nz-occurred-at',
  correlationId: 'nz-correlation-id',
  causationId: 'nz-causation-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export interface Envelope {
  /** Deterministic idempotency key, e.g. `tg:<botId>:<update_id>`; JetStream dedupes on it. */
  readonly id: string;
  readonly type: EventType;
  readonly occurredAt: Date;
  readonly correlationId: string;
  readonly causationId?: string;
}

export function envelopeHeaders(envelope: Envelope): Record<string, string> {
  const headers: Record<string, string> = {
    [headerNames.msgId]: envelope.id,
    [headerNames.type]: envelope.type,
    [headerNames.occurredAt]: envelope.occurredAt.toISOString(),
    [headerNames.correlationId]: envelope.correlationId,
  };
  if (envelope.causationId !== undefined) headers[headerNames.causationId] = envelope.causationId;
  return headers;
}

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/** Reads an envelope back; throws EnvelopeError naming the header at fault. */
export function parseEnvelope(header: (name: string) => string | undefined): Envelope {
  const id = header(headerNames.msgId);
  const type = header(headerNames.type);
  const occurredAt = header(headerNames.occurredAt);
  if (!id) throw new EnvelopeError(`missing header ${headerNames.msgId}`);
  if (!type) throw new EnvelopeError(`missing header ${headerNames.type}`);
  if (!isEventType(type)) throw new EnvelopeError(`unknown event type ${JSON.stringify(type)}`);
  const at = new Date(occurredAt ?? '');
  if (Number.isNaN(at.getTime())) throw new EnvelopeError(`bad header ${headerNames.occurredAt}`);
  const causationId = header(headerNames.causationId);
  return {
    id,
    type,
    occurredAt: at,
    correlationId: header(headerNames.correlationId) || id,
    ...(causationId ? { causationId } : {}),
  };
}

export function newCorrelationId(): string {
  return randomUUID();
}
