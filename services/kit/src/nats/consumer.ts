// The JetStream consumer loop every service uses. One message at a time, in order:
// - ack only after the handler's side effect has committed;
// - a handler failure is retried with `nak(delay)` and exponential backoff;
// - a message that cannot be decoded, or that failed `maxDeliver` times, is copied to the
//   dead-letter stream with the reason and terminated, so it never blocks the consumer.
// It attaches to a durable created by the setup step and waits (not crashes) if missing.
import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { context, SpanKind, SpanStatusCode, type Meter, type Tracer } from '@opentelemetry/api';
import { subjects, type ConsumerSpec } from '@nezuko/proto';
import type { Logger } from '../logger.ts';
import type { Naming } from './naming.ts';
import { extractTraceContext } from './tracing.ts';

export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/**
 * Thrown by a handler that knows when to try again (e.g. Telegram's 429 `retry_after`):
 * the message is redelivered after exactly that delay instead of the backoff.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  readonly delayMs: number;
  constructor(message: string, delayMs: number) {
    super(message);
    this.delayMs = delayMs;
  }
}

export interface Delivery<T> {
  readonly value: T;
  readonly subject: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
}

export interface ConsumerOptions<T> {
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly spec: ConsumerSpec;
  readonly logger: Logger;
  readonly meter?: Meter;
  readonly tracer?: Tracer;
  /** Turns a raw message into a value; throwing marks the message as poison. */
  readonly decode: (msg: JsMsg) => T;
  readonly handle: (delivery: Delivery<T>) => Promise<void>;
  /** Label for spans and logs. */
  readonly describe?: (value: T) => string;
  readonly maxBackoffMs?: number;
}

export interface ConsumerHandle {
  /** True while attached to the durable and receiving. */
  attached(): boolean;
  /** Stops taking messages, lets the one in flight finish. */
  stop(): Promise<void>;
}

export function backoffDelay(deliveryCount: number, maxMs = 30_000): number {
  return Math.min(maxMs, 250 * 2 ** Math.max(0, deliveryCount - 1));
}

export function runConsumer<T>(options: ConsumerOptions<T>): ConsumerHandle {
  const { js, names, spec, logger } = options;
  const stream = names.stream(spec.stream);
  const durable = names.durable(spec.durable);
  const log = logger.child({ consumer: durable });
  const processed = options.meter?.createCounter('nezuko_consumer_messages_total', {
    description: 'Messages handled by a JetStream consumer, by outcome',
  });
  const handleTime = options.meter?.createHistogram('nezuko_consumer_handle_seconds', {
    description: 'Time spent handling one message',
    unit: 's',
  });
  let stopped = false;
  let attached = false;
  let messages: ConsumerMessages | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const deadLetter = async (msg: JsMsg, reason: string) => {
    const hdrs = natsHeaders();
    for (const key of msg.headers?.keys() ?? []) hdrs.set(key, msg.headers?.get(key) ?? '');
    hdrs.set('Nats-Msg-Id', `dlq:${durable}:${msg.info.streamSequence}`);
    hdrs.set('nz-dlq-reason', reason.slice(0, 1000));
    hdrs.set('nz-dlq-subject', msg.subject);
    hdrs.set('nz-dlq-stream', stream);
    hdrs.set('nz-dlq-stream-seq', String(msg.info.streamSequence));
    hdrs.set('nz-dlq-deliveries', String(msg.info.deliveryCount));
    await js.publish(names.subject(subjects.deadLetter(spec.durable)), msg.data, { headers: hdrs });
    msg.term(reason);
  };

  const handleMessage = async (msg: JsMsg) => {
    const started = performance.now();
    let value: T;
    try {
      value = options.decode(msg);
    } catch (error) {
      log.error(
        { err: error, seq: msg.info.streamSequence, subject: msg.subject },
        'poison message dead-lettered',
      );
      await deadLetter(msg, `undecodable: ${(error as Error).message}`);
      processed?.add(1, { consumer: spec.durable, outcome: 'dead_lettered' });
      return;
    }
    const parent = extractTraceContext(msg.headers);
    const name = options.describe?.(value) ?? msg.subject;
    const span = options.tracer?.startSpan(`consume ${name}`, { kind: SpanKind.CONSUMER }, parent);
    const ctx = span ? context.active() : parent;
    try {
      await context.with(ctx, () =>
        options.handle({
          value,
          subject: names.local(msg.subject),
          streamSequence: msg.info.streamSequence,
          deliveryCount: msg.info.deliveryCount,
        }),
      );
      msg.ack();
      processed?.add(1, { consumer: spec.durable, outcome: 'ok' });
    } catch (error) {
      span?.recordException(error as Error);
      span?.setStatus({ code: SpanStatusCode.ERROR });
      const deliveries = msg.info.deliveryCount;
      if (error instanceof PoisonMessageError || deliveries >= spec.maxDeliver) {
        log.error(
          { err: error, seq: msg.info.streamSequence, deliveries },
          'message dead-lettered',
        );
        await deadLetter(msg, (error as Error).message);
        processed?.add(1, { consumer: spec.durable, outcome: 'dead_lettered' });
      } else {
        const delay =
          error instanceof RetryLaterError
            ? error.delayMs
            : backoffDelay(deliveries, options.maxBackoffMs);
        log.warn(
          { err: error, seq: msg.info.streamSequence, deliveries, retryInMs: delay },
          'handler failed; will retry',
        );
        msg.nak(delay);
        processed?.add(1, { consumer: spec.durable, outcome: 'retried' });
      }
    } finally {
      span?.end();
      handleTime?.record((performance.now() - started) / 1000, { consumer: spec.durable });
    }
  };

  const loop = async () => {
    while (!stopped) {
      let consumer: Consumer;
      try {
        consumer = await js.consumers.get(stream, durable);
        messages = await consumer.consume({ max_messages: Math.min(spec.maxAckPending, 256) });
      } catch (error) {
        attached = false;
        log.warn(
          { err: error, stream, durable },
          'consumer not available yet (has setup run?); retrying',
        );
        await sleep(1000);
        continue;
      }
      attached = true;
      log.info({ stream, durable }, 'consumer attached');
      try {
        for await (const msg of messages) {
          inFlight = handleMessage(msg);
          await inFlight;
          if (stopped) break;
        }
      } catch (error) {
        log.warn({ err: error }, 'consumer interrupted; re-attaching');
      }
      attached = false;
      if (!stopped) await sleep(500);
    }
  };

  const running = loop();
  return {
    attached: () => attached,
    async stop() {
      stopped = true;
      await inFlight.catch(() => undefined);
      await messages?.close().catch(() => undefined);
      await running.catch(() => undefined);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
