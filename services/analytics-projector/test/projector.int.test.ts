// The projector against real JetStream and Postgres: events published through the bus
// (the producers' wire format) become read-model rows whose numbers match an independent
// count; replays and abandoned deliveries never double-count; poison is dead-lettered.
import { headers } from '@nats-io/transport-node';
import { createLogger, ensureConsumer } from '@nezuko/kit';
import {
  BotRegisteredSchema,
  BotStatusChangedSchema,
  ChannelUnlinkedSchema,
  consumers,
  create,
  GroupEnabledChangedSchema,
  MemberJoinedSchema,
  subjects,
  VerificationDecidedSchema,
} from '@nezuko/proto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Projector } from '../src/app.ts';
import { skippedMessages } from '../src/position.ts';
import { outcomes, type Database } from '../src/readModel/index.ts';
import {
  botStatus,
  channelLinked,
  decision,
  waitFor,
  type EventStoreFixture,
} from '../src/testing/index.ts';
import {
  openReadModelWorld,
  startProjectorIn,
  type ReadModelWorld,
} from './support/readModelWorld.ts';

const logger = createLogger('projector-test', 'silent');
let world: ReadModelWorld;
let store: EventStoreFixture;
let db: Kysely<Database>;
let projector: Projector | undefined;

/** The numbers the read model must show, counted here from what the test published. */
const expected = new Map<string, { count: number; cached: number; latency: number }>();
let lastSeq = 0;
let publishedDecisions = 0;

beforeAll(async () => {
  world = await openReadModelWorld('proj');
  ({ store, db } = world);
});

afterAll(async () => {
  await projector?.stop();
  await world?.close();
});

const start = async () => {
  projector = await startProjectorIn(world, logger);
};
const stop = async () => {
  await projector?.stop();
  projector = undefined;
};

// A small deterministic generator so a failure reproduces.
let state = 12345;
const random = (n: number) => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state % n;
};

const groups = ['-1001', '-1002', '-1003'];
const days = ['2026-03-01', '2026-03-02', '2026-03-03'];

async function publishDecisions(count: number, idPrefix: string) {
  for (let i = 0; i < count; i += 1) {
    const groupId = groups[random(groups.length)]!;
    const day = days[random(days.length)]!;
    const outcome = outcomes[random(outcomes.length)]!;
    const cached = random(3) === 0;
    const latencyMs = 5 + random(200);
    const occurredAt = new Date(`${day}T${String(random(24)).padStart(2, '0')}:15:00Z`);
    const { seq } = await store.bus.publish(
      'verify.decided',
      decision({ groupId, userId: String(5000 + i), outcome, cached, latencyMs }),
      { id: `${idPrefix}-${i}`, occurredAt },
    );
    lastSeq = seq;
    publishedDecisions += 1;
    const key = `${day}|${groupId}|${outcome}`;
    const row = expected.get(key) ?? { count: 0, cached: 0, latency: 0 };
    expected.set(key, {
      count: row.count + 1,
      cached: row.cached + (cached ? 1 : 0),
      latency: row.latency + latencyMs,
    });
  }
}

/**
 * The hour rollup per UTC day, group and outcome; the per-bot minute, hour and day rollups
 * must agree with it per day, bot and outcome.
 */
async function rollup() {
  const read = async (
    table:
      | 'verification_hour'
      | 'verification_bot_minute'
      | 'verification_bot_hour'
      | 'verification_bot_day',
    key: 'group_id' | 'bot_id',
  ) => {
    const rows = await db
      .selectFrom(table)
      .groupBy([sql`(bucket at time zone 'UTC')::date`, key, 'outcome'])
      .select([
        sql<string>`to_char((bucket at time zone 'UTC')::date, 'YYYY-MM-DD')`.as('day'),
        sql<string>`${sql.ref(key)}`.as('key'),
        'outcome',
        sql<string>`sum(count)`.as('count'),
        sql<string>`sum(count) filter (where cached)`.as('cached'),
        sql<string>`sum(latency_ms_sum)`.as('latency'),
        sql<string>`sum((select sum(h) from unnest(latency_hist) h))`.as('hist'),
      ])
      .execute();
    return new Map(
      rows.map((r) => {
        expect(Number(r.hist)).toBe(Number(r.count));
        return [
          `${r.day}|${r.key}|${r.outcome}`,
          { count: Number(r.count), cached: Number(r.cached ?? 0), latency: Number(r.latency) },
        ];
      }),
    );
  };
  const day = await read('verification_hour', 'group_id');
  const perBot = await read('verification_hour', 'bot_id');
  expect(await read('verification_bot_minute', 'bot_id')).toEqual(perBot);
  expect(await read('verification_bot_hour', 'bot_id')).toEqual(perBot);
  expect(await read('verification_bot_day', 'bot_id')).toEqual(perBot);
  return day;
}

async function logCount() {
  const { n } = await db
    .selectFrom('verification_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function deadLetters() {
  const info = await store.jsm.streams.info(store.names.stream('NZ_DEADLETTER'), {
    subjects_filter: '>',
  });
  return (
    info.state.subjects?.[
      store.names.subject(subjects.deadLetter(consumers.analyticsProjector.durable))
    ] ?? 0
  );
}

const caughtUp = () =>
  waitFor(() => projector?.checkpoint() === lastSeq, 30_000, `checkpoint ${lastSeq}`);

describe('analytics projector', () => {
  it('projects configuration and decisions into rows whose numbers match the published events', async () => {
    const { bus } = store;
    await bus.publish(
      'bot.registered',
      create(BotRegisteredSchema, { botId: '7001', username: 'gate_bot', firstName: 'Gate' }),
      { id: 'b1' },
    );
    await bus.publish(
      'bot.status_changed',
      create(BotStatusChangedSchema, {
        botId: '7001',
        status: botStatus.RUNNING,
        uptimeSeconds: 3600,
      }),
      { id: 'b2' },
    );
    await bus.publish(
      'group.channel_linked',
      channelLinked({
        groupId: '-1001',
        groupTitle: 'Alpha',
        channelId: '-2001',
        channelTitle: 'News',
        channelUsername: 'news',
      }),
      { id: 'l1' },
    );
    await bus.publish(
      'group.channel_linked',
      channelLinked({ groupId: '-1001', groupTitle: 'Alpha v2', channelId: '-2002' }),
      { id: 'l2' },
    );
    await bus.publish(
      'group.channel_linked',
      channelLinked({ groupId: '-1002', groupTitle: 'Beta', channelId: '-2001' }),
      { id: 'l3' },
    );
    await bus.publish(
      'group.channel_linked',
      channelLinked({ groupId: '-1003', groupTitle: 'Gamma', channelId: '-2003' }),
      { id: 'l4' },
    );
    await bus.publish(
      'group.channel_unlinked',
      create(ChannelUnlinkedSchema, { groupId: '-1003', channelId: '-2003' }),
      { id: 'u1' },
    );
    await bus.publish(
      'group.enabled_changed',
      create(GroupEnabledChangedSchema, { groupId: '-1002', enabled: false }),
      { id: 'e1' },
    );
    await bus.publish(
      'chat.member_joined',
      create(MemberJoinedSchema, { groupId: '-1001', botId: '7001', user: { id: '1' } }),
      { id: 'j1' },
    );
    await publishDecisions(300, 'd');
    await start();
    await caughtUp();

    expect(await logCount()).toBe(300);
    expect(await rollup()).toEqual(expected);
    const groupRows = await db
      .selectFrom('groups')
      .select(['group_id', 'title', 'enabled', 'bot_id'])
      .orderBy('group_id', 'desc')
      .execute();
    expect(groupRows).toEqual([
      { group_id: '-1001', title: 'Alpha v2', enabled: true, bot_id: '7001' },
      { group_id: '-1002', title: 'Beta', enabled: false, bot_id: '7001' },
      { group_id: '-1003', title: 'Gamma', enabled: true, bot_id: '7001' },
    ]);
    const links = await db
      .selectFrom('group_channels')
      .select(['group_id', 'channel_id'])
      .orderBy('group_id', 'desc')
      .orderBy('channel_id', 'desc')
      .execute();
    expect(links).toEqual([
      { group_id: '-1001', channel_id: '-2001' },
      { group_id: '-1001', channel_id: '-2002' },
      { group_id: '-1002', channel_id: '-2001' },
    ]);
    expect(
      await db
        .selectFrom('channels')
        .select(['channel_id', 'title', 'username', 'invite_link'])
        .where('channel_id', '=', '-2001')
        .executeTakeFirst(),
    ).toEqual({
      channel_id: '-2001',
      title: 'News',
      username: 'news',
      invite_link: 'https://t.me/news',
    });
    expect(
      await db
        .selectFrom('bots')
        .select(['username', 'status', 'uptime_seconds'])
        .executeTakeFirst(),
    ).toEqual({
      username: 'gate_bot',
      status: 'running',
      uptime_seconds: 3600,
    });
    const checkpoint = await db
      .selectFrom('projection_checkpoints')
      .select('stream_seq')
      .executeTakeFirstOrThrow();
    expect(Number(checkpoint.stream_seq)).toBe(lastSeq);
  });

  it('counts nothing twice when the whole stream is replayed into the same read model', async () => {
    await stop();
    const spec = consumers.analyticsProjector;
    await store.jsm.consumers.delete(
      store.names.stream(spec.stream),
      store.names.durable(spec.durable),
    );
    await ensureConsumer(store.jsm, spec, store.names); // a fresh durable delivers from the first event
    await start();
    await waitFor(
      async () => {
        const info = await store.jsm.consumers.info(
          store.names.stream(spec.stream),
          store.names.durable(spec.durable),
        );
        return (
          info.num_pending === 0 &&
          info.num_ack_pending === 0 &&
          info.delivered.stream_seq >= lastSeq
        );
      },
      30_000,
      'replay',
    );
    expect(await logCount()).toBe(300);
    expect(await rollup()).toEqual(expected);
  });

  it('applies every event exactly once after a process abandoned deliveries without acking them', async () => {
    await stop();
    await publishDecisions(200, 'd2');
    // Another process takes 50 deliveries from the durable and dies before acking: they
    // stay pending for the ack wait (30 s) while newer events are already deliverable.
    const spec = consumers.analyticsProjector;
    const durable = await store.js.consumers.get(
      store.names.stream(spec.stream),
      store.names.durable(spec.durable),
    );
    const taken = await durable.fetch({ max_messages: 50, expires: 2000 });
    let abandoned = 0;
    for await (const _ of taken) abandoned += 1;
    expect(abandoned).toBe(50);
    await start();
    await caughtUp();
    expect(await logCount()).toBe(publishedDecisions);
    expect(await rollup()).toEqual(expected);
  });

  it('dead-letters poison events and keeps applying the ones after them', async () => {
    const before = await deadLetters();
    const bad = headers();
    bad.set('Nats-Msg-Id', 'poison-bytes');
    bad.set('nz-type', 'verify.decided');
    bad.set('nz-occurred-at', new Date().toISOString());
    await store.js.publish(
      store.names.subject('nz.evt.verify.-1001.decided'),
      new Uint8Array([0xff, 0xff, 0xff]),
      { headers: bad },
    );
    await store.bus.publish(
      'verify.decided',
      create(VerificationDecidedSchema, { groupId: '-1001', user: { id: '9' }, trigger: 1 }),
      { id: 'no-outcome' },
    );
    await publishDecisions(3, 'after-poison');
    await caughtUp();
    expect(await logCount()).toBe(publishedDecisions);
    expect(await rollup()).toEqual(expected);
    await waitFor(async () => (await deadLetters()) === before + 2, 10_000, 'two dead letters');
  });

  it('announces each committed change on the model-changed subject', async () => {
    const sub = store.nc.subscribe(store.names.subject(subjects.modelChanged('verifications')), {
      max: 1,
    });
    await store.nc.flush();
    await publishDecisions(1, 'noticed');
    for await (const msg of sub) {
      expect(msg.json<{ seq: number }>()).toEqual({ seq: lastSeq });
    }
  });
});

describe('gap detection', () => {
  it('tells deleted messages apart from deliveries that skipped past real events', async () => {
    const spec = consumers.analyticsProjector;
    const seqs = [];
    for (let i = 0; i < 4; i += 1) {
      seqs.push(
        (
          await store.bus.publish(
            'chat.member_joined',
            create(MemberJoinedSchema, { groupId: '-1', botId: '1', user: { id: String(i) } }),
            { id: `gap-${i}` },
          )
        ).seq,
      );
    }
    const [a, b, c, d] = seqs as [number, number, number, number];
    await store.jsm.streams.deleteMessage(store.names.stream(spec.stream), b);
    expect(await skippedMessages(store.jsm, store.names, spec, a, c)).toBe(false);
    expect(await skippedMessages(store.jsm, store.names, spec, a, d)).toBe(true);
  });
});

describe('one writer', () => {
  it('writes nothing another writer committed meanwhile: it continues from the moved checkpoint', async () => {
    // Everything in the stream applied (the tests before published more than decisions).
    const stream = store.names.stream(consumers.analyticsProjector.stream);
    const { last_seq } = (await store.jsm.streams.info(stream)).state;
    await waitFor(() => (projector?.checkpoint() ?? 0) >= last_seq, 30_000, 'stream applied');
    const logBefore = await logCount();
    // A former leader's last batch committed after this process read the checkpoint. Here
    // the checkpoint is moved past the next five decisions, which nobody writes: written
    // again by this process, they would show up in the log.
    await sql`update projection_checkpoints set stream_seq = stream_seq + 5
               where projection = 'analytics'`.execute(db);
    await publishDecisions(20, 'moved');
    await caughtUp();
    expect(await logCount()).toBe(logBefore + 15);
  });
});
