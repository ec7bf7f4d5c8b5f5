// Composition root of the verification service: config, runtime, Redis, the app, the ops
// server, and an ordered drain on SIGTERM (stop taking events, finish the one in hand,
// close Redis and NATS) inside the shutdown budget.
import { loadConfig, natsReady, onShutdown, startOpsServer, startRuntime } from '@nezuko/kit';
import { Redis } from 'ioredis';
import { createVerificationApp } from './app.ts';
import { verificationConfigSchema } from './config.ts';

const config = loadConfig(verificationConfigSchema);
const runtime = await startRuntime('verification', config);
const { logger } = runtime;

// Commands queue while Redis reconnects instead of failing at once; readiness reports it.
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
redis.on('error', (error: Error) => logger.warn({ err: error }, 'Redis connection problem'));

const app = createVerificationApp({
  config,
  nc: runtime.nc,
  js: runtime.js,
  names: runtime.names,
  bus: runtime.bus,
  redis,
  logger,
  meter: runtime.telemetry.meter,
  tracer: runtime.telemetry.tracer,
});

runtime.globalSettings.onChange((settings) => app.applySettings(settings));

const probes = {
  checks: { nats: natsReady(runtime.nc), ...app.checks },
  serveMetrics: runtime.telemetry.serveMetrics.bind(runtime.telemetry),
  draining: false,
};
const ops = await startOpsServer(probes, config.HTTP_PORT, config.HOST);
logger.info({ port: ops.port }, 'ops server listening');

onShutdown(
  logger,
  () => [
    ['mark draining', () => (probes.draining = true)],
    ['stop verification', () => app.stop()],
    ['close ops server', () => new Promise((resolve) => ops.close(resolve))],
    ['close redis', () => redis.quit()],
    ['close runtime', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.start();
