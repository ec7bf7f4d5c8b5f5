// Composition root of the command service: config, runtime (logger, telemetry, NATS),
// the HTTP app, and a graceful shutdown that stops intake before draining NATS.
import { loadConfig, natsReady, onShutdown, startRuntime, type Probes } from '@nezuko/kit';
import { buildApp } from './app.ts';
import { bearerTokenAuthenticator } from './auth.ts';
import { commandConfigSchema } from './config.ts';

const config = loadConfig(commandConfigSchema);
const runtime = await startRuntime('command', config);
const probes: Probes = {
  checks: { nats: natsReady(runtime.nc) },
  serveMetrics: (req, res) => runtime.telemetry.serveMetrics(req, res),
};
const app = buildApp({
  bus: runtime.bus,
  logger: runtime.logger,
  meter: runtime.telemetry.meter,
  tracer: runtime.telemetry.tracer,
  probes,
  clock: () => new Date(),
  authenticate: bearerTokenAuthenticator(config.ADMIN_API_TOKEN, config.ADMIN_EMAIL),
  allowedOrigins: config.ALLOWED_ORIGINS,
});

onShutdown(
  runtime.logger,
  () => [
    ['mark not ready', () => (probes.draining = true)],
    // Stops accepting connections and waits for in-flight requests (their events included).
    ['close http', () => app.close()],
    ['drain nats', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

await app.listen({ port: config.HTTP_PORT, host: config.HOST });
runtime.logger.info({ port: config.HTTP_PORT, host: config.HOST }, 'command API listening');
