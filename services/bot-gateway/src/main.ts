// Composition root of the bot-gateway: config, runtime, the gateway for every registered
// bot (and the env bot), the ops server, and an ordered drain on SIGTERM (stop polling,
// finish the action in hand, report STOPPED, release the leases, close NATS) inside the
// shutdown budget.
import { hostname } from 'node:os';
import { loadConfig, natsReady, onShutdown, startOpsServer, startRuntime } from '@nezuko/kit';
import { createGatewayApp } from './app.ts';
import { gatewayKeyring } from './bots/tokens.ts';
import { gatewayConfigSchema } from './config.ts';

const config = loadConfig(gatewayConfigSchema);
const runtime = await startRuntime('bot-gateway', config);
const { logger } = runtime;

const gateway = createGatewayApp({
  config,
  keyring: gatewayKeyring(config.NZ_TOKEN_KEYS, logger),
  nc: runtime.nc,
  js: runtime.js,
  jsm: runtime.jsm,
  names: runtime.names,
  bus: runtime.bus,
  logger,
  meter: runtime.telemetry.meter,
  tracer: runtime.telemetry.tracer,
  replica: `${hostname()}:${process.pid}`,
});

const probes = {
  checks: { nats: natsReady(runtime.nc), ...gateway.checks },
  serveMetrics: runtime.telemetry.serveMetrics.bind(runtime.telemetry),
  draining: false,
};
const ops = await startOpsServer(probes, config.HTTP_PORT, config.HOST, (req, res) =>
  gateway.handleWebhook(req, res),
);
logger.info({ port: ops.port }, 'ops server listening');

onShutdown(
  logger,
  () => [
    ['mark draining', () => (probes.draining = true)],
    ['stop gateway', () => gateway.stop()],
    ['close ops server', () => new Promise((resolve) => ops.close(resolve))],
    ['close runtime', () => runtime.close()],
  ],
  config.SHUTDOWN_TIMEOUT_MS,
);

try {
  const bot = await gateway.start();
  if (bot) logger.info({ botId: bot.botId, bot: bot.username }, 'env bot registered');
} catch (error) {
  logger.fatal({ err: error }, 'bot gateway could not start');
  await runtime.close();
  process.exit(1);
}
