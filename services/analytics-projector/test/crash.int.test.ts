// The projector as a real process, killed with SIGKILL in the middle of a stream of
// decisions and started again: the final counts are exact (nothing lost, nothing twice),
// and a SIGTERM afterwards drains and exits cleanly.
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
const TOTAL = 3000;

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
  'keeps exact counts when killed with SIGKILL mid-stream and restarted',
  { timeout: 120_000 },
  async () => {
    const expected = new Map<string, number>();
    let lastSeq = 0;
    const publishing = (async () => {
      for (let batch = 0; batch < TOTAL / 100; batch += 1) {
        await Promise.all(
          Array.from({ length: 100 }, async (_, j) => {
            const i = batch * 100 + j;
            const outcome = outcomes[i % outcomes.length]!;
            const groupId = `-10${i % 7}`;
            const { seq } = await store.bus.publish(
              'verify.decided',
              decision({ groupId, userId: String(100_000 + i), outcome, cached: i % 3 === 0 }),
              { id: `crash-${i}`, occurredAt: new Date('2026-05-05T12:00:00Z') },
            );
            lastSeq = Math.max(lastSeq, seq);
            expected.set(`${groupId}|${outcome}`, (expected.get(`${groupId}|${outcome}`) ?? 0) + 1);
          }),
        );
      }
    })();

    const first = startProjectorProcess();
    await waitFor(
      async () => (await checkpoint()) >= 600,
      60_000,
      'the first projector to make progress',
    );
    first.kill('SIGKILL');
    expect((await exited(first)).signal).toBe('SIGKILL');
    const atKill = await checkpoint();
    await publishing;
    expect(atKill).toBeLessThan(lastSeq); // it really died mid-stream

    const second = startProjectorProcess();
    await waitFor(async () => (await checkpoint()) === lastSeq, 60_000, `checkpoint ${lastSeq}`);

    const { n } = await db
      .selectFrom('verification_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(TOTAL);
    const rows = await db
      .selectFrom('verification_day')
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
    expect(rows.reduce((sum, r) => sum + Number(r.cached_count), 0)).toBe(TOTAL / 3);

    second.kill('SIGTERM');
    expect(await exited(second)).toEqual({ code: 0, signal: null });
  },
);
