// The projector as a real process, killed with SIGKILL at random points while a stream of
// decisions is published, and started again each time: the final read models are exact
// (nothing lost, nothing twice), and a SIGTERM afterwards drains and exits cleanly.
// npm test runs 3 kills over 10k decisions; `npm run test:chaos -w @nezuko/analytics-projector`
// runs 20 kills over 200k (CHAOS_KILLS, CHAOS_EVENTS).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReadModelDb, outcomes, type Database } from '../src/readModel/index.ts';
import { decision, openEventStore, waitFor, type EventStoreFixture } from '../src/testing/index.ts';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// enough events that three kills, each after at most a few batches of 1000, land before the end
const TOTAL = Number(process.env.CHAOS_EVENTS ?? 10_000);
const KILLS = Number(process.env.CHAOS_KILLS ?? 3);

let store: EventStoreFixture;
let database: TestDatabase;
let db: Kysely<Database>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  store = await openEventStore(testEnv().natsUrl, uniqueNamespace('crash'));
  database = await createTestDatabase(testEnv().databaseUrl);
  db = createReadModelDb(database.url);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await db?.destroy();
  await database?.drop();
  await store?.close();
});

// The node binary itself (not an `npm exec` wrapper), so SIGKILL hits the projector.
function startProjectorProcess(): ChildProcess {
  const child = spawn(process.execPath, [mainPath], {
    env: {
      ...process.env,
      NATS_URL: testEnv().natsUrl,
      NZ_NAMESPACE: store.names.namespace,
      DATABASE_URL: database.url,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

async function checkpoint(): Promise<number> {
  const row = await db
    .selectFrom('projection_checkpoints')
    .select('stream_seq')
    .executeTakeFirst()
    .catch(() => undefined); // the schema appears once the child has migrated
  return Number(row?.stream_seq ?? 0);
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

it(
  `keeps exact counts when killed with SIGKILL ${KILLS} times mid-stream and restarted`,
  { timeout: 600_000 },
  async () => {
    const expected = new Map<string, number>();
    const expectedBots = new Map<string, number>();
    const users = new Set<string>();
    let cachedTotal = 0;
    let lastSeq = 0;
    let published = 0;
    const publishing = (async () => {
      const WINDOW = 500;
      for (let base = 0; base < TOTAL; base += WINDOW) {
        await Promise.all(
          Array.from({ length: Math.min(WINDOW, TOTAL - base) }, async (_, j) => {
            const i = base + j;
            const outcome = outcomes[i % outcomes.length]!;
            const groupId = `-10${i % 7}`;
            const botId = String(7001 + (i % 3));
            const userId = String(100_000 + (i % 5000));
            const cached = i % 3 === 0;
            const { seq } = await store.bus.publish(
              'verify.decided',
              decision({ groupId, botId, userId, outcome, cached }),
              {
                id: `crash-${i}`,
                occurredAt: new Date(Date.UTC(2026, 4, 1) + (i % 1000) * 3_600_000),
              },
            );
            lastSeq = Math.max(lastSeq, seq);
            published += 1;
            expected.set(`${groupId}|${outcome}`, (expected.get(`${groupId}|${outcome}`) ?? 0) + 1);
            expectedBots.set(botId, (expectedBots.get(botId) ?? 0) + 1);
            users.add(userId);
            cachedTotal += cached ? 1 : 0;
          }),
        );
      }
    })();

    // Kill at random points: after a random share of progress, at a random moment.
    let random = 7;
    const next = (n: number) => {
      random = (random * 1103515245 + 12345) % 2 ** 31;
      return random % n;
    };
    for (let k = 0; k < KILLS; k += 1) {
      const child = startProjectorProcess();
      const before = await checkpoint();
      // small steps, so even with a whole batch of overshoot per kill the last kill lands
      // well before the end of the stream
      const step = Math.max(1, Math.floor(TOTAL / (KILLS * 3)));
      await waitFor(
        async () => (await checkpoint()) >= Math.min(before + 1 + next(step), TOTAL),
        120_000,
        `projector ${k + 1} to make progress`,
      );
      await new Promise((resolve) => setTimeout(resolve, next(50)));
      child.kill('SIGKILL');
      expect((await exited(child)).signal).toBe('SIGKILL');
    }
    const atLastKill = await checkpoint();
    await publishing;
    expect(published).toBe(TOTAL);
    expect(atLastKill).toBeLessThan(lastSeq); // it really died mid-stream

    const last = startProjectorProcess();
    await waitFor(async () => (await checkpoint()) === lastSeq, 300_000, `checkpoint ${lastSeq}`);

    const { n } = await db
      .selectFrom('verification_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(TOTAL);
    const rows = await db
      .selectFrom('verification_hour')
      .groupBy(['group_id', 'outcome'])
      .select([
        'group_id',
        'outcome',
        (eb) => eb.fn.sum<string>('count').as('count'),
        (eb) =>
          eb.fn
            .sum<string>(eb.case().when('cached', '=', true).then(eb.ref('count')).else(0).end())
            .as('cached_count'),
      ])
      .execute();
    expect(new Map(rows.map((r) => [`${r.group_id}|${r.outcome}`, Number(r.count)]))).toEqual(
      expected,
    );
    expect(rows.reduce((sum, r) => sum + Number(r.cached_count), 0)).toBe(cachedTotal);
    for (const table of [
      'verification_bot_minute',
      'verification_hour',
      'verification_bot_hour',
    ] as const) {
      const perBot = await db
        .selectFrom(table)
        .groupBy('bot_id')
        .select(['bot_id', (eb) => eb.fn.sum<string>('count').as('count')])
        .execute();
      expect(new Map(perBot.map((r) => [r.bot_id, Number(r.count)]))).toEqual(expectedBots);
    }
    const counter = await db
      .selectFrom('read_model_counters')
      .select('value')
      .where('name', '=', 'users')
      .executeTakeFirstOrThrow();
    expect(Number(counter.value)).toBe(users.size);

    last.kill('SIGTERM');
    expect(await exited(last)).toEqual({ code: 0, signal: null });
  },
);
