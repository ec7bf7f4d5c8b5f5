// Publishing events and actions: protobuf body, envelope headers, trace context, and a
// deterministic Nats-Msg-Id so a retried publish is stored once.
import { JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import {
  envelopeHeaders,
  eventCatalogue,
  fromBinary,
  parseEnvelope,
  subjects,
  TelegramActionSchema,
  toBinary,
  type DomainEvent,
  type Envelope,
  type EventOf,
  type EventType,
  type TelegramAction,
} from '@nezuko/proto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { Naming } from './naming.ts';
import { injectTraceContext } from './tracing.ts';

export interface PublishOptions {
  /** Idempotency key: the same id published twice within the window is stored once. */
  readonly id: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly occurredAt?: Date;
  /**
   * Optimistic concurrency: store the event only if the last one on its subject has this
   * stream sequence (0 = none yet); otherwise the publish fails with
   * WrongLastSequenceError and nothing is stored.
   */
  readonly expectedLastSubjectSequence?: number;
}

/** The event's subject moved on since the caller read it (see expectedLastSubjectSequence). */
export class WrongLastSequenceError extends Error {
  override readonly name = 'WrongLastSequenceError';
}

export interface PublishResult {
  readonly seq: number;
  readonly duplicate: boolean;
}

export interface EventBus {
  readonly names: Naming;
  publish<T extends EventType>(
    type: T,
    event: EventOf<T>,
    options: PublishOptions,
  ): Promise<PublishResult>;
  publishAction(action: TelegramAction, options: PublishOptions): Promise<PublishResult>;
}

export function createEventBus(js: JetStreamClient, names: Naming): EventBus {
  const send = async (
    subject: string,
    data: Uint8Array,
    hdrs: MsgHdrs,
    id: string,
    expectedLastSubjectSequence?: number,
  ) => {
    injectTraceContext(hdrs);
    const expect =
      expectedLastSubjectSequence === undefined
        ? {}
        : { expect: { lastSubjectSequence: expectedLastSubjectSequence } };
    const ack = await js
      .publish(names.subject(subject), data, { msgID: id, headers: hdrs, ...expect })
      .catch((error: unknown) => {
        // 10071: wrong last sequence for the subject.
        if (error instanceof JetStreamApiError && error.code === 10071)
          throw new WrongLastSequenceError(error.message);
        throw error;
      });
    return { seq: ack.seq, duplicate: ack.duplicate };
  };
  return {
    names,
    publish(type, event, options) {
      const envelope: Envelope = {
        id: options.id,
        type,
        occurredAt: options.occurredAt ?? new Date(),
        correlationId: options.correlationId ?? options.id,
        ...(options.causationId ? { causationId: options.causationId } : {}),
      };
      const schema = eventCatalogue[type].schema as DescMessage;
      const data = toBinary(schema, event as MessageShape<DescMessage>);
      return send(
        subjects.event(type, event),
        data,
        toNatsHeaders(envelopeHeaders(envelope)),
        options.id,
        options.expectedLastSubjectSequence,
      );
    },
    publishAction(action, options) {
      const hdrs = natsHeaders();
      hdrs.set('Nats-Msg-Id', options.id);
      hdrs.set('nz-type', `action.${action.kind.case ?? 'none'}`);
      hdrs.set('nz-occurred-at', (options.occurredAt ?? new Date()).toISOString());
      hdrs.set('nz-correlation-id', options.correlationId ?? options.id);
      if (options.causationId) hdrs.set('nz-causation-id', options.causationId);
      const subject = subjects.actions(action.botId, action.kind.case ?? 'none');
      return send(subject, toBinary(TelegramActionSchema, action), hdrs, options.id);
    },
  };
}

function toNatsHeaders(record: Record<string, string>): MsgHdrs {
  const hdrs = natsHeaders();
  for (const [key, value] of Object.entries(record)) hdrs.set(key, value);
  return hdrs;
}

/** Decodes an event message; throws (EnvelopeError or a protobuf error) on a malformed one. */
export function decodeEvent(
  hdrs: MsgHdrs | undefined,
  data: Uint8Array,
): { envelope: Envelope; event: DomainEvent } {
  const envelope = parseEnvelope((name) => hdrs?.get(name) || undefined);
  const schema = eventCatalogue[envelope.type].schema as DescMessage;
  const event = fromBinary(schema, data);
  return { envelope, event: { type: envelope.type, event } as DomainEvent };
}

export function decodeAction(data: Uint8Array): TelegramAction {
  const action = fromBinary(TelegramActionSchema, data);
  if (action.kind.case === undefined) throw new Error('action has no kind');
  return action;
}
