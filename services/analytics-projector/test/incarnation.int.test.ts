// A checkpoint belongs to one incarnation of NZ_EVENTS. When the stream is deleted and
// created again its sequences restart at 1: the projector must refuse it (not attached, so
// not ready; nothing acknowledged or skipped) instead of taking the new events for ones it
// already applied, and resume once a rebuild has swapped in a model of the new stream.
import { applyTopology, createLogger } from '@nezuko/kit';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import { sql, type Kysely } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { startProjector, type Projector } from '../src/app.ts';
import { rebuildProjection } from '../src/rebuild.ts';
import { createReadModelDb, migrateToLatest, type Database } from '../src/readModel/index.ts';
import { decision, openEventStore, waitFor } from '../src/testing/index.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setUp() {
  const store = await openEventStore(testEnv().natsUrl, uniqueNamespace('incarnation'));
  const database: TestDatabase = await createTestDatabase(testEnv().databaseUrl);
  const db = createReadModelDb(database.url);
  cleanup.push(
    () => store.close(),
    () => database.drop(),
    () => db.destroy(),
  );
  await migrateToLatest(db);
  let published = 0;
  const publish = async (count: number) => {
    let last = 0;
    for (let i = 0; i < count; i += 1) {
      const n = published++;
      const { seq } = await store.bus.publish(
        'verify.decided',
        decision({ groupId: '-1001', userId: String(5000 + n), outcome: 'verified' }),
        { id: `inc-${n}`, occurredAt: new Date(Date.UTC(2026, 4, 1, 12)) },
      );
      last = seq;
    }
    return last;
  };
  const start = async () => {
    const projector = await startProjector({
      db,
      nc: store.nc,
      js: store.js,
      jsm: store.jsm,
      names: store.names,
      logger: createLogger('incarnation-test', 'silent'),
      incarnationPollMs: 200,
    });
    cleanup.push(() => projector.stop());
    return projector;
  };
  /** Deletes NZ_EVENTS (and with it the durable) and lets setup create both again. */
  const recreateStream = async () => {
    await store.jsm.streams.delete(store.names.stream('NZ_EVENTS'));
    await applyTopology(store.jsm, store.names);
  };
  return { store, database, db, publish, start, recreateStream };
}

const logged = async (db: Kysely<Database>) => {
  const { n } = await db
    .selectFrom('verification_log')
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
};

it(
  'refuses a recreated stream at start, and projects it once a rebuild is swapped in',
  { timeout: 60_000 },
  async () => {
    const { store, database, db, publish, start, recreateStream } = await setUp();
    const first = await start();
    const firstLast = await publish(3);
    await waitFor(() => first.checkpoint() === firstLast, 15_000, 'first run');
    await first.stop();

    await recreateStream();
    const last = await publish(5); // sequences 1..5: 1..3 are below the checkpoint
    const projector: Projector = await start();
    expect(projector.streamMismatch()).not.toBeNull();
    expect(projector.attached()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(projector.checkpoint()).toBe(3);
    expect(await logged(db)).toBe(3);

    await rebuildProjection({
      databaseUrl: database.url,
      db,
      js: store.js,
      jsm: store.jsm,
      names: store.names,
    });
    await waitFor(() => projector.attached() && projector.checkpoint() === last, 15_000, 'resume');
    expect(projector.streamMismatch()).toBeNull();
    expect(await logged(db)).toBe(5);
  },
);

it(
  'stops projecting when the stream is recreated underneath it, applying nothing of it',
  { timeout: 60_000 },
  async () => {
    const { db, publish, start, recreateStream } = await setUp();
    const projector = await start();
    const firstLast = await publish(3);
    await waitFor(() => projector.checkpoint() === firstLast, 15_000, 'first events');

    await recreateStream();
    await publish(5);
    await waitFor(() => projector.streamMismatch() !== null, 45_000, 'refusal');
    expect(projector.attached()).toBe(false);
    expect(projector.checkpoint()).toBe(3);
    expect(await logged(db)).toBe(3);
  },
);
