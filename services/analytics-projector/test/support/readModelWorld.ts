// What each projector integration test starts from: its own JetStream namespace to publish
// events into and its own Postgres database with the read model migrated, removed again
// afterwards; and the projector started in-process on both when the test says.
import type { Logger } from '@nezuko/kit';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import type { Kysely } from 'kysely';
import { startProjector, type Projector } from '../../src/app.ts';
import { createReadModelDb, migrateToLatest, type Database } from '../../src/readModel/index.ts';
import { openEventStore, type EventStoreFixture } from '../../src/testing/index.ts';

export interface ReadModelWorld {
  readonly store: EventStoreFixture;
  readonly database: TestDatabase;
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

export async function openReadModelWorld(label: string): Promise<ReadModelWorld> {
  const store = await openEventStore(testEnv().natsUrl, uniqueNamespace(label));
  const database = await createTestDatabase(testEnv().databaseUrl).catch(async (error) => {
    await store.close();
    throw error;
  });
  const db = createReadModelDb(database.url);
  const close = async () => {
    await db.destroy();
    await database.drop();
    await store.close();
  };
  try {
    await migrateToLatest(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { store, database, db, close };
}

export function startProjectorIn(world: ReadModelWorld, logger: Logger): Promise<Projector> {
  const { db, store } = world;
  return startProjector({
    db,
    nc: store.nc,
    js: store.js,
    jsm: store.jsm,
    names: store.names,
    logger,
  });
}
