// Decodes and plans one stream message, without side effects: the live projector
// dead-letters what comes back as poison; a rebuild skips it (it was dead-lettered live).
import type { JsMsg } from '@nats-io/jetstream';
import { decodeEvent, PoisonMessageError } from '@nezuko/kit';
import { headerNames, isEventType } from '@nezuko/proto';
import type { PlannedEvent } from './batch.ts';
import { planChange } from './changes.ts';

export type PlannedMessage =
  | { readonly ok: true; readonly planned: PlannedEvent }
  | { readonly ok: false; readonly planned: PlannedEvent; readonly reason: string };

export function planMessage(msg: Pick<JsMsg, 'headers' | 'data' | 'info'>): PlannedMessage {
  const seq = msg.info.streamSequence;
  const rawType = msg.headers?.get(headerNames.type) ?? '';
  const occurredAt = new Date(msg.headers?.get(headerNames.occurredAt) ?? '');
  const at = Number.isNaN(occurredAt.getTime()) ? new Date(0) : occurredAt;
  // A newer producer's type: skipped and counted, not dead-lettered.
  if (rawType !== '' && !isEventType(rawType)) {
    return {
      ok: true,
      planned: { seq, type: rawType, occurredAt: at, change: null, result: 'unknown' },
    };
  }
  try {
    const { envelope, event } = decodeEvent(msg.headers, msg.data);
    const change = planChange(event, {
      seq,
      eventId: envelope.id,
      occurredAt: envelope.occurredAt,
    });
    return {
      ok: true,
      planned: {
        seq,
        type: event.type,
        occurredAt: envelope.occurredAt,
        change,
        result: change === null ? 'ignored' : 'applied',
      },
    };
  } catch (error) {
    const reason =
      error instanceof PoisonMessageError
        ? error.message
        : `undecodable: ${(error as Error).message}`;
    return {
      ok: false,
      reason,
      planned: {
        seq,
        type: rawType || 'undecodable',
        occurredAt: at,
        change: null,
        result: 'dead_lettered',
      },
    };
  }
}
