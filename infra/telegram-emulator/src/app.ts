// Builds the emulator from its parts: the world state, the bots' inboxes, faults, rate
// limits, the request log, and the HTTP surface (Bot API + control API) over them.

import Fastify from 'fastify';
import { registerBodyParsers } from './bodyParsers.ts';
import { dispatch } from './botApi/dispatcher.ts';
import { registerBotApiRoutes } from './botApi/routes.ts';
import { systemClock, unixSeconds } from './clock.ts';
import { registerActionRoutes } from './control/actionRoutes.ts';
import { registerInspectionRoutes } from './control/inspectionRoutes.ts';
import { registerWorldRoutes } from './control/worldRoutes.ts';
import { registerErrorHandling } from './errorHandling.ts';
import { FaultInjector, RateLimiter } from './faults.ts';
import { RequestLog } from './requestLog.ts';
import { routeFact } from './state/routing.ts';
import { EmulatorState } from './state/store.ts';
import { UpdateHub } from './updates/updateHub.ts';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { BotApiDeps } from './botApi/dispatcher.ts';
import type { Clock } from './clock.ts';
import type { ControlDeps } from './control/http.ts';
import type { Fact } from './state/facts.ts';

export interface EmulatorOptions {
  /** Where dates come from (default: the system clock). */
  clock?: Clock;
  /** How long a webhook may take to answer one update (default 10 s). */
  webhookTimeoutMs?: number;
  /** First retry delay after a failed webhook delivery, doubled per failure (default 1 s). */
  webhookRetryBaseMs?: number;
  /** Longest retry delay (default 60 s). */
  webhookRetryMaxMs?: number;
  /** fastify/pino logger options; off by default. */
  logger?: FastifyServerOptions['logger'];
}

export interface Emulator {
  app: FastifyInstance;
  state: EmulatorState;
  /** Starts listening; resolves with the base URL to use as the Bot API root. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  close(): Promise<void>;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? systemClock;
  const state = new EmulatorState();
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter();
  const requestLog = new RequestLog();
  // Sockets are destroyed on close: held polls are answered first, and idle keep-alive
  // connections from Bot API clients must not hold the process open.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  const log: FastifyBaseLogger = app.log;

  const hub = new UpdateHub((botId) => ({
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    retryBaseMs: options.webhookRetryBaseMs ?? 1_000,
    retryMaxMs: options.webhookRetryMaxMs ?? 60_000,
    nowSeconds: () => unixSeconds(clock),
    onReply: (method, params) => {
      const bot = state.bots.get(botId);
      if (bot === undefined) return;
      const call = {
        token: bot.token,
        method,
        params,
        signal: AbortSignal.abort(),
        source: 'webhook_reply' as const,
      };
      dispatch(botApi, call).catch((error: unknown) =>
        log.error({ err: error }, 'webhook reply failed'),
      );
    },
  }));

  const publish = (facts: readonly Fact[]): void => {
    const now = unixSeconds(clock);
    for (const fact of facts) hub.deliver(routeFact(state, fact, now));
  };

  const botApi: BotApiDeps = {
    state,
    hub,
    faults,
    rateLimiter,
    requestLog,
    clock,
    publish,
    logError: (error, method) => log.error({ err: error, method }, 'Bot API method failed'),
  };

  const control: ControlDeps = {
    state,
    hub,
    faults,
    rateLimiter,
    requestLog,
    clock,
    publish,
    reset: async () => {
      await hub.reset();
      state.reset();
      faults.clear();
      rateLimiter.configure(undefined);
      requestLog.clear();
    },
  };

  registerBodyParsers(app);
  registerErrorHandling(app);
  registerBotApiRoutes(app, botApi);
  registerWorldRoutes(app, control);
  registerActionRoutes(app, control);
  registerInspectionRoutes(app, control);
  app.get('/healthz', () => ({ ok: true }));

  return {
    app,
    state,
    listen: async ({ port = 8081, host = '127.0.0.1' } = {}) => {
      await app.listen({ port, host });
      const address = app.server.address();
      const boundPort = typeof address === 'object' && address !== null ? address.port : port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return `http://${urlHost}:${boundPort}`;
    },
    close: async () => {
      await hub.shutdown();
      await app.close();
    },
  };
}
