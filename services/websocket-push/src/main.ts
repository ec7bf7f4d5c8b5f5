// Composition root of websocket-push: config, runtime, the read model pool, the live
// feed and model notices, the fastify app (read API, /ws, ops), and an orderly drain.
import { createReadModelDb, readModelReady } from '@nezuko/analytics-projector/read-model';
import {
  baseConfigSchema,
  configFields,
  loadConfig,
  natsReady,
  onShutdown,
  startRuntime,
  type Probes,
} from '@nezuko/kit';
import { z } from 'zod';
import { createSessionVerifier } from '@nezuko/sessions';
import pg from 'pg';
import { buildApp } from './app.ts';
import { sessionAuth } from './http/auth.ts';
import { startLiveFeed } from './live/feed.ts';
import { groupTitleCache } from './live/groupTitles.ts';
import { startLogTail } from './live/logTail.ts';
import { watchModelNotices } from './live/notices.ts';

const config = loadConfig(
  baseConfigSchema.extend({
    HTTP_PORT: configFields.port.default(3002),
    DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/nezuko'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    WS_MAX_BUFFERED_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    WS_REPLAY_LIMIT: z.coerce.number().int().min(1).max(100_000).default(1000),
    WS_HEARTBEAT_MS: z.coerce.number().int().min(1000).default(30_000),
    /** `session` (default): reads and /ws need a dashboard session; `off`: open (local demo only). */
    READ_API_AUTH: z.enum(['session', 'off']).default('session'),
    /** The database with the command service's sessions (nz_command); default DATABASE_URL. */
    SESSIONS_DATABASE_URL: z.string().url().optional(),
  }),
);

const runtime = await startRuntime('websocket-push', config);
const { logger, telemetry } = runtime;
const db = createReadModelDb(config.DATABASE_URL, {
  maxConnections: config.DATABASE_POOL_MAX,
  applicationName: 'nezuko-websocket-push',
});
const sessionsPool = new pg.Pool({
  connectionString: config.SESSIONS_DATABASE_URL ?? config.DATABASE_URL,
  max: 4,
  application_name: 'nezuko-websocket-push-sessions',
  connectionTimeoutMillis: 5000,
});
sessionsPool.on('error', () => undefined);
if (config.READ_API_AUTH === 'off')
  logger.warn('READ_API_AUTH=off: the read API and /ws answer without a session (demo only)');
const titles = groupTitleCache(db);
const notices = watchModelNotices(runtime.nc, runtime.names, logger);
notices.onEach((notice) => {
  if (notice.model === 'groups') titles.invalidate();
});
const feed = startLiveFeed({
  js: runtime.js,
  jsm: runtime.jsm,
  names: runtime.names,
  titles,
  logger,
});
const logs = startLogTail({ js: runtime.js, names: runtime.names, logger });

const probes: Probes = {
  checks: {
    postgres: readModelReady(db),
    nats: natsReady(runtime.nc),
    liveFeed: () => feed.attached(),
  },
  serveMetrics: (req, res) => telemetry.serveMetrics(req, res),
};
const app = await buildApp({
  auth: sessionAuth(createSessionVerifier(sessionsPool), config.READ_API_AUTH),
  db,
  feed,
  notices,
  logs,
  probes,
  logger,
  meter: telemetry.meter,
  streams: { jsm: runtime.jsm, names: runtime.names },
  hub: {
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    replayLimit: config.WS_REPLAY_LIMIT,
    heartbeatMs: config.WS_HEARTBEAT_MS,
  },
});

onShutdown(
  logger,
  () => [
    ['stop readiness', () => void (probes.draining = true)],
    // Closing the app says goodbye to WebSocket clients (1001) and finishes requests.
    ['close http', () => app.close()],
    ['stop live feed', () => feed.stop()],
    ['stop notices', () => notices.stop()],
    ['stop log tail', () => logs.stop()],
    ['close postgres', () => db.destroy()],
    ['close sessions pool', () => sessionsPool.end()],
    ['close runtime', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

try {
  await app.listen({ port: config.HTTP_PORT, host: config.HOST });
} catch (error) {
  logger.fatal({ err: error }, 'websocket-push failed to listen');
  logger.flush();
  process.exit(1);
}
