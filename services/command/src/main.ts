// Composition root of the command service: config, runtime (logger, telemetry, NATS),
// its Postgres (migrated at start), the HTTP app, the command outcome follower, and a
// graceful shutdown that stops intake before draining NATS.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  createKeyring,
  loadConfig,
  natsReady,
  onShutdown,
  startRuntime,
  type Probes,
} from '@nezuko/kit';
import { createSessionVerifier } from '@nezuko/sessions';
import { commandDbReady, createCommandDb, migrateCommandDb } from './accounts/db.ts';
import { createLoginThrottle } from './accounts/loginThrottle.ts';
import { buildApp } from './app.ts';
import { sessionAuthenticator } from './auth.ts';
import { followCommandOutcomes } from './commandOutcomes.ts';
import { commandConfigSchema } from './config.ts';
import { jetStreamEventStore } from './eventStore.ts';
import { apiRoutes } from './routes/index.ts';
import { telegramBotIdentity } from './telegram.ts';

const config = loadConfig(commandConfigSchema);
const runtime = await startRuntime('command', config);
const store = createCommandDb(config.DATABASE_URL);
await migrateCommandDb(store.db);
const probes: Probes = {
  checks: { nats: natsReady(runtime.nc), postgres: commandDbReady(store.db) },
  serveMetrics: (req, res) => runtime.telemetry.serveMetrics(req, res),
};
const routes = apiRoutes({
  db: store.db,
  loginThrottle: createLoginThrottle(
    config.LOGIN_IP_LIMIT,
    config.LOGIN_IP_WINDOW_MINUTES * 60_000,
  ),
  loginPolicy: {
    maxFailures: config.LOGIN_MAX_FAILURES,
    lockMinutes: config.LOGIN_LOCK_MINUTES,
    sessionTtlHours: config.SESSION_TTL_HOURS,
  },
  telegram: telegramBotIdentity(config.TELEGRAM_API_ROOT),
  keyring: config.NZ_TOKEN_KEYS ? createKeyring(config.NZ_TOKEN_KEYS) : null,
  events: jetStreamEventStore(await jetstreamManager(runtime.nc), runtime.bus.names),
  allowInsecureWebhooks: config.WEBHOOK_ALLOW_HTTP,
  ...(config.TELEGRAM_LOGIN_BOT_TOKEN
    ? { telegramLoginBotToken: config.TELEGRAM_LOGIN_BOT_TOKEN }
    : {}),
});
const app = buildApp({
  bus: runtime.bus,
  logger: runtime.logger,
  meter: runtime.telemetry.meter,
  tracer: runtime.telemetry.tracer,
  probes,
  clock: () => new Date(),
  authenticate: sessionAuthenticator(
    createSessionVerifier(store.pool),
    config.ADMIN_API_TOKEN
      ? { token: config.ADMIN_API_TOKEN, actorEmail: config.ADMIN_EMAIL }
      : undefined,
  ),
  allowedOrigins: config.ALLOWED_ORIGINS,
  routes,
  trustProxy: config.TRUST_PROXY,
});
const outcomes = await followCommandOutcomes(jetstream(runtime.nc), runtime.bus, runtime.logger);

onShutdown(
  runtime.logger,
  () => [
    ['mark not ready', () => (probes.draining = true)],
    // Stops accepting connections and waits for in-flight requests (their events included).
    ['close http', () => app.close()],
    ['stop outcome follower', () => outcomes.stop()],
    ['close postgres', () => store.close()],
    ['drain nats', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.HTTP_PORT, host: config.HOST });
runtime.logger.info({ port: config.HTTP_PORT, host: config.HOST }, 'command API listening');
