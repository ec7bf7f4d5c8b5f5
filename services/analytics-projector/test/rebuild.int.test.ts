// Rebuild: the whole stream replayed into a shadow schema while the live projector keeps
// applying new events, then swapped in atomically; the rebuilt model has exactly the
// published numbers, and the live projector carries on writing into it.
import { createLogger } from '@nezuko/kit';
import type { TestDatabase } from '@nezuko/kit/testing';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Projector } from '../src/app.ts';
import { projectionStatus, rebuildProjection } from '../src/rebuild.ts';
import { outcomes, type Database } from '../src/readModel/index.ts';
import { decision, waitFor, type EventStoreFixture } from '../src/testing/index.ts';
import {
  openReadModelWorld,
  startProjectorIn,
  type ReadModelWorld,
} from './support/readModelWorld.ts';

let world: ReadModelWorld;
let store: EventStoreFixture;
let database: TestDatabase;
let db: Kysely<Database>;
let projector: Projector | undefined;
let lastSeq = 0;
let published = 0;

beforeAll(async () => {
  world = await openReadModelWorld('rebuild');
  ({ store, database, db } = world);
});

afterAll(async () => {
  await projector?.stop();
  await world?.close();
});

async function publish(count: number) {
  await Promise.all(
    Array.from({ length: count }, async () => {
      const i = published++;
      const { seq } = await store.bus.publish(
        'verify.decided',
        decision({ groupId: `-10${i % 5}`, userId: String(1000 + i), outcome: outcomes[i % 4]! }),
        { id: `r-${i}`, occurredAt: new Date(Date.UTC(2026, 3, 1 + (i % 40))) },
      );
      lastSeq = Math.max(lastSeq, seq);
    }),
  );
}

const total = async () => {
  const { n } = await db
    .selectFrom('verification_bot_day')
    .select(sql<string>`coalesce(sum(count), 0)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
};

it(
  'replays into a shadow schema and swaps it in while the live projector keeps applying',
  { timeout: 60_000 },
  async () => {
    await publish(2000);
    projector = await startProjectorIn(world, createLogger('rebuild-test', 'silent'));
    await waitFor(() => projector?.checkpoint() === lastSeq, 20_000, 'live caught up');
    // Damage the live model: a rebuild must not copy it, it must recompute it.
    await sql`update verification_bot_day set count = count + 1000`.execute(db);

    const progress: number[] = [];
    const rebuilding = rebuildProjection({
      databaseUrl: database.url,
      db,
      js: store.js,
      jsm: store.jsm,
      names: store.names,
      batchSize: 200,
      onProgress: (p) => progress.push(p.seq),
    });
    await publish(500); // arrives while the rebuild runs; the live projector applies it
    const result = await rebuilding;
    expect(result.retired).toMatch(/^retired_/);
    await publish(300); // after the swap: the live projector writes into the rebuilt model
    await waitFor(() => projector?.checkpoint() === lastSeq, 20_000, 'live caught up again');
    await waitFor(async () => (await total()) === published, 10_000, `${published} decisions`);
    expect(await total()).toBe(published);
    const { n } = await db
      .selectFrom('verification_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(published);
    const [status] = await projectionStatus(db, store.jsm, store.names);
    expect(status).toMatchObject({ projection: 'analytics', checkpoint: lastSeq, lag: 0 });
  },
);
