import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import {
  create,
  GroupEnabledChangedSchema,
  MemberJoinedSchema,
  type ConsumerSpec,
  type DomainEvent,
} from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyTopology,
  createEventBus,
  createLogger,
  decodeEvent,
  ensureConsumer,
  naming,
  runConsumer,
  WrongLastSequenceError,
  type ConsumerHandle,
  type Delivery,
} from '../src/index.ts';
import { testEnv, uniqueNamespace } from '../src/testing/index.ts';

const logger = createLogger('kit-test', 'silent');
let nc: NatsConnection;
const names = naming(uniqueNamespace('kit'));

beforeAll(async () => {
  nc = await connect({ servers: testEnv().natsUrl });
  const jsm = await jetstreamManager(nc);
  await applyTopology(jsm, names);
  await applyTopology(jsm, names); // idempotent
});

afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  for (const s of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
    await jsm.streams.delete(names.stream(s)).catch(() => undefined);
  }
  await nc.close();
});

const joined = (userId: string) =>
  create(MemberJoinedSchema, { botId: '1', groupId: '-100', user: { id: userId, firstName: 'U' } });

async function consumerFor(durable: string, maxDeliver: number): Promise<ConsumerSpec> {
  const spec: ConsumerSpec = {
    stream: 'NZ_EVENTS',
    durable,
    filterSubject: 'nz.evt.>',
    maxDeliver,
    ackWaitSeconds: 5,
    maxAckPending: 100,
  };
  await ensureConsumer(await jetstreamManager(nc), spec, names);
  return spec;
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function deadLetters(durable: string) {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(names.stream('NZ_DEADLETTER'), { subjects_filter: '>' });
  return info.state.subjects?.[names.subject(`nz.dlq.${durable}`)] ?? 0;
}

describe('JetStream consumer loop', () => {
  it('delivers events in order, dedupes by Nats-Msg-Id, and dead-letters a poison message without stopping', async () => {
    const js = jetstream(nc);
    const bus = createEventBus(js, names);
    const spec = await consumerFor('orderly', 3);
    const seen: string[] = [];
    const handle: ConsumerHandle = runConsumer<{ event: DomainEvent }>({
      js,
      names,
      spec,
      logger,
      decode: (msg) => decodeEvent(msg.headers, msg.data),
      handle: ({ value }: Delivery<{ event: DomainEvent }>) => {
        if (value.event.type === 'chat.member_joined') seen.push(value.event.event.user?.id ?? '?');
        return Promise.resolve();
      },
    });
    await bus.publish('chat.member_joined', joined('1'), { id: 'e1' });
    const dup = await bus.publish('chat.member_joined', joined('1'), { id: 'e1' });
    expect(dup.duplicate).toBe(true);
    const bad = headers();
    bad.set('nz-type', 'chat.member_joined');
    bad.set('Nats-Msg-Id', 'poison-1');
    bad.set('nz-occurred-at', new Date().toISOString());
    await js.publish(
      names.subject('nz.evt.chat.-100.member_joined'),
      new Uint8Array([0xff, 0xff, 0xff]),
      {
        headers: bad,
      },
    );
    await bus.publish('chat.member_joined', joined('2'), { id: 'e2' });
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual(['1', '2']);
    await waitFor(async () => (await deadLetters('orderly')) === 1);
    await handle.stop();
  });

  it('retries a failing handler with backoff, then dead-letters after maxDeliver', async () => {
    const js = jetstream(nc);
    const bus = createEventBus(js, names);
    const spec = await consumerFor('flaky', 3);
    let attempts = 0;
    let succeededOnRetry = false;
    const handle = runConsumer({
      js,
      names,
      spec,
      logger,
      maxBackoffMs: 100,
      decode: (msg) => decodeEvent(msg.headers, msg.data),
      handle: ({ value, deliveryCount }) => {
        if (value.event.type !== 'chat.member_joined') return Promise.resolve();
        const user = value.event.event.user?.id;
        if (user === '1001') {
          if (deliveryCount < 2) return Promise.reject(new Error('database blinked'));
          succeededOnRetry = true;
        } else if (user === '1002') {
          attempts += 1;
          return Promise.reject(new Error('always fails'));
        }
        return Promise.resolve();
      },
    });
    await bus.publish('chat.member_joined', joined('1001'), { id: 'f1' });
    await bus.publish('chat.member_joined', joined('1002'), { id: 'f2' });
    await waitFor(() => succeededOnRetry);
    // the poison message from the first test is in this stream too, so two dead letters
    await waitFor(async () => (await deadLetters('flaky')) === 2);
    expect(attempts).toBe(3);
    await handle.stop();
  });
});

describe('optimistic concurrency on a subject', () => {
  it('stores an event only while the subject is where the writer last saw it', async () => {
    const bus = createEventBus(jetstream(nc), names);
    const paused = (enabled: boolean) =>
      create(GroupEnabledChangedSchema, { groupId: '-100777', enabled });
    const first = await bus.publish('group.enabled_changed', paused(false), {
      id: 'occ-1',
      expectedLastSubjectSequence: 0,
    });
    await bus.publish('group.enabled_changed', paused(true), {
      id: 'occ-2',
      expectedLastSubjectSequence: first.seq,
    });
    await expect(
      bus.publish('group.enabled_changed', paused(false), {
        id: 'occ-3',
        expectedLastSubjectSequence: first.seq,
      }),
    ).rejects.toBeInstanceOf(WrongLastSequenceError);
  });
});
