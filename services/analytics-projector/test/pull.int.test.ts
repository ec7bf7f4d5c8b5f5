// The batch loop on real JetStream: every event handled once and in stream order, no batch
// above maxBatch, and the next batch pulled and decoded (prepare) while one is being
// written, so the writer never waits for decoding; and decoding what is already buffered
// lets I/O through every few ms, so the writer's round trips are not held up by it.
import { createLogger } from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { consumers } from '@nezuko/proto';
import type { JsMsg } from '@nats-io/jetstream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  runBatchConsumer,
  type BatchConsumerHandle,
  type BatchConsumerOptions,
} from '../src/batch/pull.ts';
import { decision, openEventStore, waitFor, type EventStoreFixture } from '../src/testing/index.ts';

let store: EventStoreFixture;
const N = 3000;

/** Publishes decisions `from` .. `from + count - 1`, 500 in flight at a time. */
async function publishDecisions(from: number, count: number) {
  for (let base = from; base < from + count; base += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) =>
        store.bus.publish(
          'verify.decided',
          decision({ groupId: '-1', userId: String(base + j), outcome: 'verified' }),
          { id: `pull-${base + j}` },
        ),
      ),
    );
  }
}

/** The loop over the projector's durable, 500 per batch. */
const consume = <P>(
  callbacks: Pick<BatchConsumerOptions<P>, 'prepare' | 'handleBatch'>,
): BatchConsumerHandle =>
  runBatchConsumer({
    js: store.js,
    names: store.names,
    spec: consumers.analyticsProjector,
    logger: createLogger('pull-test', 'silent'),
    maxBatch: 500,
    maxWaitMs: 5,
    ...callbacks,
  });

beforeAll(async () => {
  store = await openEventStore(testEnv().natsUrl, uniqueNamespace('pull'));
  await publishDecisions(0, N);
});

afterAll(async () => {
  await store?.close();
});

it('hands batches in order, at most maxBatch each, preparing the next while one is written', async () => {
  const seen: number[] = [];
  const sizes: number[] = [];
  // How far prepare had got when each batch's handler finished (its write "took" 40 ms).
  let prepared = 0;
  const preparedAhead: number[] = [];
  const session = consume({
    prepare: () => (prepared += 1),
    handleBatch: async (batch: readonly JsMsg[]) => {
      sizes.push(batch.length);
      for (const msg of batch) seen.push(msg.info.streamSequence);
      await new Promise((resolve) => setTimeout(resolve, 40));
      preparedAhead.push(prepared - seen.length);
      for (const msg of batch) msg.ack();
    },
  });
  try {
    await waitFor(() => seen.length >= N, 20_000, 'all handled');
  } finally {
    await session.stop();
  }
  expect(seen).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
  // While each of the first batches was written, the next full one was already decoded.
  expect(preparedAhead.slice(0, 3)).toEqual([500, 500, 500]);
});

it('lets I/O through while it decodes deliveries that are already buffered', async () => {
  await publishDecisions(N, N);
  let handled = 0;
  // How long the writer waited for a 1 ms timer (standing in for Postgres' answer) while
  // the loop decoded the next batch: ~0.2 ms per message, 100 ms per batch.
  const waits: number[] = [];
  const session = consume({
    prepare: () => {
      const until = performance.now() + 0.2;
      while (performance.now() < until);
    },
    handleBatch: async (batch: readonly JsMsg[]) => {
      const asked = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 1));
      waits.push(performance.now() - asked);
      handled += batch.length;
      for (const msg of batch) msg.ack();
    },
  });
  try {
    await waitFor(() => handled >= N, 20_000, 'all handled');
  } finally {
    await session.stop();
  }
  // Without yielding, each answer waited for the whole batch's decoding (~100 ms).
  expect(Math.max(...waits.slice(1))).toBeLessThan(40);
});
