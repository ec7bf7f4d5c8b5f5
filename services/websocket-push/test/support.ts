// Shared set-up for websocket-push integration tests: an isolated event store, a fresh
// database migrated and filled by the real projector, and the app on a real port.
import { startProjector, type Projector } from '@nezuko/analytics-projector';
import {
  createReadModelDb,
  migrateToLatest,
  type Database,
} from '@nezuko/analytics-projector/read-model';
import { openEventStore, type EventStoreFixture } from '@nezuko/analytics-projector/testing';
import { createLogger, natsReady, type Probes } from '@nezuko/kit';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp, type AppDeps } from '../src/app.ts';
import { startLiveFeed, type LiveFeed } from '../src/live/feed.ts';
import { groupTitleCache } from '../src/live/groupTitles.ts';
import { startLogTail, type LogTail, type LogTailOptions } from '../src/live/logTail.ts';
import { watchModelNotices, type ModelNotices } from '../src/live/notices.ts';
import { readModelReady } from '@nezuko/analytics-projector/read-model';

export interface ReadSide {
  readonly store: EventStoreFixture;
  readonly db: Kysely<Database>;
  readonly projector: Projector;
  readonly feed: LiveFeed;
  readonly notices: ModelNotices;
  readonly logs: LogTail;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startReadSide(
  label: string,
  overrides: Partial<AppDeps> = {},
  logTail: Partial<Pick<LogTailOptions, 'intervalMs' | 'maxPerInterval'>> = {},
): Promise<ReadSide> {
  const logger = createLogger(`wsp-test`, 'silent');
  const store = await openEventStore(testEnv().natsUrl, uniqueNamespace(label));
  const database: TestDatabase = await createTestDatabase(testEnv().databaseUrl);
  const db = createReadModelDb(database.url);
  await migrateToLatest(db);
  const { nc, js, jsm, names } = store;
  const projector = await startProjector({ db, nc, js, jsm, names, logger });
  const titles = groupTitleCache(db);
  const notices = watchModelNotices(nc, names, logger, 50);
  notices.onEach((n) => n.model === 'groups' && titles.invalidate());
  const feed = startLiveFeed({ js, jsm, names, titles, logger });
  const logs = startLogTail({ js, names, logger, ...logTail });
  const probes: Probes = {
    checks: { postgres: readModelReady(db), nats: natsReady(nc), liveFeed: () => feed.attached() },
    serveMetrics: (_req, res) => res.end('# metrics\n'),
  };
  const app = await buildApp({
    db,
    feed,
    notices,
    logs,
    probes,
    logger,
    streams: { jsm, names },
    ...overrides,
  });
  return {
    store,
    db,
    projector,
    feed,
    notices,
    logs,
    app,
    async close() {
      await app.close();
      await feed.stop();
      await logs.stop();
      notices.stop();
      await projector.stop();
      await db.destroy();
      await database.drop();
      await store.close();
    },
  };
}
