// Pulls the durable consumer in batches, group-commit style: a batch is taken when the
// previous one has finished (plus `maxWaitMs` unless it is already full), holding whatever
// arrived meanwhile, up to `maxBatch`. A busy stream is applied hundreds of events per
// transaction; a quiet one still applies each event as soon as it arrives. The handler
// owns acking; the loop only re-attaches after interruptions.
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger, Naming } from '@nezuko/kit';
import type { ConsumerSpec } from '@nezuko/proto';
import { yieldEvery } from './yieldEvery.ts';

export interface BatchConsumerOptions<P> {
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly spec: ConsumerSpec;
  readonly logger: Logger;
  readonly maxBatch: number;
  /** Waits this long for a batch to fill when the buffer runs dry (0: apply at once). */
  readonly maxWaitMs: number;
  /** The batch and, index for index, what `prepare` made of each message. */
  readonly handleBatch: (batch: readonly JsMsg[], prepared: readonly P[]) => Promise<void>;
  /** Runs on arrival, while the previous batch is still being written (e.g. decoding). */
  readonly prepare: (msg: JsMsg) => P;
}

export interface BatchConsumerHandle {
  attached(): boolean;
  /** Stops taking messages; the batch in flight finishes first. */
  stop(): Promise<void>;
}

export function runBatchConsumer<P>(options: BatchConsumerOptions<P>): BatchConsumerHandle {
  const { js, names, spec, logger, maxBatch } = options;
  const stream = names.stream(spec.stream);
  const durable = names.durable(spec.durable);
  const log = logger.child({ consumer: durable });
  let stopped = false;
  let attached = false;
  let messages: ConsumerMessages | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let batch: JsMsg[] = [];
  // Kept beside the batch, not in a WeakMap keyed by message: thousands of short-lived
  // ephemerons a second made the garbage collector a tenth of the projector's CPU.
  let prepared: P[] = [];
  let scheduled = false;

  // Resolved when the batch being filled is taken for writing: a full batch waits only for
  // that, so the next one is pulled and decoded while this one is written.
  let taken: PromiseWithResolvers<void> | undefined;

  const take = async () => {
    scheduled = false;
    const next = batch;
    const nextPrepared = prepared;
    batch = [];
    prepared = [];
    taken?.resolve();
    taken = undefined;
    if (next.length > 0) await options.handleBatch(next, nextPrepared);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    inFlight = inFlight
      // A batch that filled while the previous one was written goes at once.
      .then(() => (batch.length >= maxBatch ? undefined : sleep(options.maxWaitMs)))
      .then(take)
      .catch((error: unknown) => log.warn({ err: error }, 'batch failed'));
  };
  const untilTaken = () => (taken ??= Promise.withResolvers<void>()).promise;

  const loop = async () => {
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(stream, durable);
        messages = await consumer.consume({
          max_messages: Math.min(spec.maxAckPending, maxBatch * 2),
          // A deleted consumer (its stream recreated) ends the loop at once and is looked
          // up again below, instead of waiting for missed heartbeats.
          abort_on_missing_resource: true,
        });
      } catch (error) {
        attached = false;
        log.warn({ err: error, stream, durable }, 'consumer not available yet; retrying');
        await sleep(1000);
        continue;
      }
      attached = true;
      log.info({ stream, durable }, 'consumer attached');
      try {
        const pause = yieldEvery();
        for await (const msg of messages) {
          // Decoding a whole buffered batch at once stalled each round trip of the batch
          // being written: let its answers through every few ms.
          await pause();
          prepared.push(options.prepare(msg));
          batch.push(msg);
          schedule();
          // A full batch waits until it is taken: back-pressure on the pull, with at most
          // one batch being written and one filled.
          if (batch.length >= maxBatch) await untilTaken();
          if (stopped) break;
        }
      } catch (error) {
        log.warn({ err: error }, 'consumer interrupted; re-attaching');
      }
      await inFlight;
      attached = false;
      if (!stopped) await sleep(500);
    }
  };

  const running = loop();
  return {
    attached: () => attached,
    async stop() {
      stopped = true;
      await inFlight;
      await messages?.close().catch(() => undefined);
      await running.catch(() => undefined);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
