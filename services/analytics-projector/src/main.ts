// Composition root of the analytics projector: config, runtime, migrations, leadership,
// the projector, the ops server, and an orderly drain on SIGTERM.
import {
  baseConfigSchema,
  configFields,
  loadConfig,
  onShutdown,
  startOpsServer,
  startRuntime,
  type Probes,
} from '@nezuko/kit';
import { z } from 'zod';
import { PROJECTION, startProjector, type Projector } from './app.ts';
import { acquireLeadership, type Leadership } from './leadership.ts';
import { createReadModelDb, migrateToLatest, readModelReady } from './readModel/index.ts';
import { scheduleRetention, type RetentionSchedule } from './retention.ts';

const config = loadConfig(
  baseConfigSchema.extend({
    HTTP_PORT: configFields.port.default(3005),
    DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/nezuko'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(4),
    VERIFICATION_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
    MINUTE_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
    RETENTION_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),
  }),
);

const runtime = await startRuntime('analytics-projector', config);
const { logger, telemetry } = runtime;
const db = createReadModelDb(config.DATABASE_URL, {
  maxConnections: config.DATABASE_POOL_MAX,
  applicationName: 'nezuko-analytics-projector',
});
const starting = new AbortController();
let projector: Projector | undefined;
let leadership: Leadership | undefined;
let retention: RetentionSchedule | undefined;

const probes: Probes = {
  checks: {
    postgres: readModelReady(db),
    consumer: () => projector?.attached() ?? false,
  },
  serveMetrics: (req, res) => telemetry.serveMetrics(req, res),
};
const ops = await startOpsServer(probes, config.HTTP_PORT, config.HOST);
logger.info({ port: ops.port }, 'ops server listening');

onShutdown(
  logger,
  () => [
    ['stop readiness', () => void (probes.draining = true)],
    ['stop starting', () => starting.abort()],
    ['drain consumer', () => projector?.stop()],
    ['stop retention', () => retention?.stop()],
    ['release leadership', () => leadership?.release()],
    ['close postgres', () => db.destroy()],
    ['close ops server', () => new Promise((resolve) => ops.close(resolve))],
    ['close runtime', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

try {
  const applied = await retryUntilReachable(() => migrateToLatest(db));
  logger.info({ applied }, 'read model migrated');
  leadership = await acquireLeadership(config.DATABASE_URL, PROJECTION, {
    logger,
    signal: starting.signal,
  });
  void leadership.lost.then(() => {
    // Another instance may take over the consumer now; keep nothing half-owned.
    process.kill(process.pid, 'SIGTERM');
  });
  projector = await startProjector({
    db,
    nc: runtime.nc,
    js: runtime.js,
    jsm: runtime.jsm,
    names: runtime.names,
    logger,
    meter: telemetry.meter,
    tracer: telemetry.tracer,
  });
  // Only the leader prunes, like only the leader writes.
  // The environment wins where set; otherwise the operator's setting (dashboard Settings,
  // NZ_CONFIG) decides how long the raw verification log is kept, read at each run.
  retention = scheduleRetention(
    db,
    () => ({
      verificationLogDays:
        config.VERIFICATION_LOG_RETENTION_DAYS ||
        (runtime.globalSettings.current()?.retention.verification_log_days ?? 0),
      minuteRollupDays: config.MINUTE_ROLLUP_RETENTION_DAYS,
    }),
    { logger, everyMs: config.RETENTION_INTERVAL_MINUTES * 60_000 },
  );
} catch (error) {
  if (!starting.signal.aborted) {
    logger.fatal({ err: error }, 'analytics projector failed to start');
    logger.flush();
    process.exit(1);
  }
}

/** Postgres may come up after us (compose, k8s); wait for it instead of crash-looping. */
async function retryUntilReachable<T>(work: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const unreachable =
        code === 'ECONNREFUSED' || code === '57P03' || /connect|timeout/i.test(String(error));
      if (!unreachable || Date.now() > deadline || starting.signal.aborted) throw error;
      logger.warn({ err: error }, 'Postgres not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
