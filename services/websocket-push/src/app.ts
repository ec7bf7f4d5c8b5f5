// The websocket-push HTTP app: the read API under /api/v1, the live feed on /ws, and the
// ops endpoints, built from injected dependencies so tests drive it with app.inject().
import fastifyWebsocket from '@fastify/websocket';
import type { Database } from '@nezuko/analytics-projector/read-model';
import { handleOpsRequest, type Logger, type Probes } from '@nezuko/kit';
import type { Meter } from '@opentelemetry/api';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { dashboardRoutes } from './http/dashboardRoutes.ts';
import { installErrorHandling } from './http/errors.ts';
import { authenticate, type AuthHook } from './http/auth.ts';
import { catalogueRoutes } from './http/catalogueRoutes.ts';
import { chartRoutes } from './http/chartRoutes.ts';
import { openApiDocument } from './http/openapi.ts';
import { opsRoutes, type StreamAccess } from './http/opsRoutes.ts';
import { createRegistry } from './http/route.ts';
import type { LiveFeed } from './live/feed.ts';
import { createHub, type HubOptions } from './live/hub.ts';
import type { LogTail } from './live/logTail.ts';
import type { ModelNotices } from './live/notices.ts';

export interface AppDeps {
  readonly db: Kysely<Database>;
  readonly feed: LiveFeed;
  readonly notices?: ModelNotices;
  /** The live tail of NZ_LOGS for the `logs` topic; without it the topic stays quiet. */
  readonly logs?: LogTail;
  readonly probes: Probes;
  readonly logger: Logger;
  readonly meter?: Meter;
  /** The clock for "today"; injected so tests pin the UTC day. */
  readonly now?: () => Date;
  readonly hub?: Partial<HubOptions>;
  /** Largest client frame accepted on /ws. */
  readonly maxClientFrameBytes?: number;
  /** JetStream access for the stream views (/events, /logs); without it they are empty. */
  readonly streams?: StreamAccess;
  /** Authentication for /api/v1 and /ws (default: the hook in http/auth.ts). */
  readonly auth?: AuthHook;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  // Typed as fastify's logger interface so the app is a plain FastifyInstance.
  const logger: FastifyBaseLogger = deps.logger;
  // Dashboards poll; per-request lines would drown the logs. Failures are logged by the
  // error handler and every request is measured (see observeRequests).
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  installErrorHandling(app);
  observeRequests(app, deps.meter);

  for (const path of ['/healthz', '/readyz', '/metrics']) {
    app.get(path, (request, reply) => {
      reply.hijack();
      handleOpsRequest(deps.probes, request.raw, reply.raw);
    });
  }

  const hub = createHub({
    feed: deps.feed,
    logger: deps.logger,
    ...(deps.notices ? { notices: deps.notices } : {}),
    ...(deps.logs ? { logs: deps.logs } : {}),
    ...(deps.meter ? { meter: deps.meter } : {}),
    options: { maxBufferedBytes: 1024 * 1024, replayLimit: 1000, heartbeatMs: 30_000, ...deps.hub },
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: deps.maxClientFrameBytes ?? 64 * 1024 },
  });
  app.addHook('preClose', () => hub.close());

  // Everything a dashboard reads sits in this one scope: the authentication hook covers
  // the API and the WebSocket upgrade alike (see http/auth.ts).
  const registry = createRegistry();
  await app.register((api, _options, done) => {
    api.addHook('preHandler', deps.auth ?? authenticate);
    dashboardRoutes(api, { db: deps.db, now });
    catalogueRoutes(api, { db: deps.db, now, registry });
    chartRoutes(api, { db: deps.db, now, registry });
    opsRoutes(api, { db: deps.db, registry, streams: deps.streams });
    api.get('/ws', { websocket: true }, (socket) => hub.accept(socket));
    done();
  });
  const document = openApiDocument(registry);
  app.get('/api/v1/openapi.json', () => document);
  return app;
}

function observeRequests(app: FastifyInstance, meter: Meter | undefined): void {
  if (!meter) return;
  const duration = meter.createHistogram('nezuko_http_request_duration_seconds', {
    description: 'Read API request duration by route and status',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.record(reply.elapsedTime / 1000, {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
    });
    done();
  });
}
