// Composition root of the command service: config, runtime (logger, telemetry, NATS),
// its Postgres (migrated at start), the HTTP app, the command outcome follower, and a
// graceful shutdown that stops intake before draining NATS.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  createKeyring,
  loadConfig,
  natsReady,
  onShutdown,
  publishGlobalSettings,
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
import { startSessionSweeper } from './accounts/sessionSweeper.ts';
import { applyLogRetention } from './logRetention.ts';
import { currentSettings, sharedPart } from './settings.ts';
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
    store.db,
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
  publishSettings: async (settings) => {
    await publishGlobalSettings(runtime.js, runtime.names, settings);
    await applyLogRetention(runtime.jsm, runtime.names, settings);
  },
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
// The stored settings reach NZ_CONFIG at every start too: a bucket created after the last
// change (a fresh setup, a restored database) still gets the current value.
const storedSettings = sharedPart((await currentSettings(store.db)).settings);
await publishGlobalSettings(runtime.js, runtime.names, storedSettings).catch((error: unknown) =>
  runtime.logger.warn({ err: error }, 'settings not published'),
);
await applyLogRetention(runtime.jsm, runtime.names, storedSettings).catch((error: unknown) =>
  runtime.logger.warn({ err: error }, 'log retention not applied'),
);
const sessionSweeper = startSessionSweeper(store.db, runtime.logger);
const outcomes = await followCommandOutcomes(jetstream(runtime.nc), runtime.bus, runtime.logger);

onShutdown(
  runtime.logger,
  () => [
    ['mark not ready', () => (probes.draining = true)],
    // Stops accepting connections and waits for in-flight requests (their events included).
    ['close http', () => app.close()],
    ['stop outcome follower', () => outcomes.stop()],
    ['stop session sweeper', () => sessionSweeper.stop()],
    ['close postgres', () => store.close()],
    ['drain nats', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.HTTP_PORT, host: config.HOST });
runtime.logger.info({ port: config.HTTP_PORT, host: config.HOST }, 'command API listening');
