// Every Bot API call becomes a `bot.api_called` event (method, chat, latency, outcome) for
// the charts. Recording never slows or fails the call: events queue in memory and one
// background loop publishes them in order. Ids are `api:<botId>:<bootId>:<n>`, so a
// retried publish is stored once. If NATS stays away the queue is bounded: the oldest
// records are dropped and counted (nezuko_gateway_api_call_events_dropped_total).
import { randomUUID } from 'node:crypto';
import type { EventBus, Logger } from '@nezuko/kit';
import { create, TelegramApiCalledSchema, type TelegramApiCalled } from '@nezuko/proto';
import type { Meter } from '@opentelemetry/api';
import type { FinishedCall } from './client.ts';

export interface ApiCallRecorder {
  record(call: FinishedCall): void;
  /** Publishes what is queued (bounded by `timeoutMs`), then stops. */
  flush(timeoutMs: number): Promise<void>;
}

export interface ApiCallRecorderDeps {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly botId: string;
  readonly replica: string;
  readonly maxQueued?: number;
}

export function createApiCallRecorder(deps: ApiCallRecorderDeps): ApiCallRecorder {
  const maxQueued = deps.maxQueued ?? 10_000;
  const bootId = randomUUID();
  const dropped = deps.meter.createCounter('nezuko_gateway_api_call_events_dropped_total', {
    description: 'api_called events dropped because NATS did not take them in time',
  });
  const queue: { id: string; event: TelegramApiCalled; at: Date }[] = [];
  let counter = 0;
  let draining: Promise<void> | undefined;

  const drain = async () => {
    let failures = 0;
    while (queue.length > 0) {
      const next = queue[0]!;
      try {
        await deps.bus.publish('bot.api_called', next.event, { id: next.id, occurredAt: next.at });
        queue.shift();
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1)
          deps.logger.warn({ err: error }, 'could not record an API call; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** failures)));
      }
    }
    draining = undefined;
  };

  return {
    record(call) {
      counter += 1;
      const failure = call.failure;
      queue.push({
        id: `api:${deps.botId}:${bootId}:${counter}`,
        at: new Date(),
        event: create(TelegramApiCalledSchema, {
          botId: deps.botId,
          method: call.method,
          chatId: call.chatId,
          latencyMs: call.latencyMs,
          ok: failure === undefined,
          errorCode: failure && failure.kind !== 'network' ? failure.errorCode : 0,
          failure: failure?.kind ?? '',
          replica: deps.replica,
        }),
      });
      if (queue.length > maxQueued) {
        queue.shift();
        dropped.add(1);
      }
      draining ??= drain();
    },
    async flush(timeoutMs) {
      if (!draining) return;
      await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
}
