// The command service's HTTP app, built from injected dependencies so tests drive it with
// `app.inject()` and no socket. It owns request ids, the one error handler, the origin
// guard and authenticator in front of every mutation, the route table and the ops routes.
import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { EventBus, Logger, Probes } from '@nezuko/kit';
import type { EventOf, EventType } from '@nezuko/proto';
import { SpanKind, SpanStatusCode, type Meter, type Tracer } from '@opentelemetry/api';
import { originGuard, type Authenticator } from './auth.ts';
import { errorBody, NotFoundError, toApiError, UnauthorizedError } from './errors.ts';
import { commandEventId, idempotencyKey, idempotencyKeyHeader } from './idempotency.ts';
import { commandMetrics, type CommandMetrics } from './metrics.ts';
import { apiPrefix, openApiDocument } from './openapi.ts';
import { opsPaths, registerOpsRoutes } from './ops.ts';
import { commandRoutes, type AnyCommandRoute, type CommandContext } from './routes/index.ts';
import { parseInput } from './validation.ts';

export const bodyLimitBytes = 64 * 1024;

export interface AppDeps {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly tracer?: Tracer;
  readonly probes: Probes;
  readonly clock: () => Date;
  readonly authenticate: Authenticator;
  readonly allowedOrigins: readonly string[];
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function buildApp(deps: AppDeps): FastifyInstance {
  const metrics = commandMetrics(deps.meter);
  // Typed as fastify's logger interface so the app is a plain FastifyInstance.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    // One "request completed" line per request comes from our onResponse hook instead.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: 'request_id',
    }),
    bodyLimit: bodyLimitBytes,
    requestIdHeader: false,
    // An id from the ingress (X-Request-ID) ties our logs and events to its access log.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
  });
  // Only JSON bodies: without this, text/plain would reach validation instead of a 415.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.request(route, request.method, reply.statusCode, seconds);
    const entry = {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (opsPaths.has(route)) request.log.debug(entry, 'request completed');
    else request.log.info(entry, 'request completed');
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error, bodyLimitBytes);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    else
      request.log.info(
        { code: apiError.code, field: apiError.field, reason: apiError.message },
        'request rejected',
      );
    if (apiError instanceof UnauthorizedError) reply.header('www-authenticate', 'Bearer');
    return reply.code(apiError.status).send(errorBody(apiError, request.id));
  });
  app.setNotFoundHandler((request) => {
    throw new NotFoundError(`no route for ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });

  registerOpsRoutes(app, deps.probes);
  const document = openApiDocument(commandRoutes);
  app.get(`${apiPrefix}/openapi.json`, (_request, reply) => reply.send(document));

  void app.register(
    (mutations, _options, done) => {
      mutations.addHook('onRequest', originGuard(deps.allowedOrigins));
      mutations.addHook('onRequest', deps.authenticate);
      for (const route of commandRoutes) registerCommandRoute(mutations, route, deps, metrics);
      done();
    },
    { prefix: apiPrefix },
  );
  return app;
}

function registerCommandRoute(
  scope: FastifyInstance,
  route: AnyCommandRoute,
  deps: AppDeps,
  metrics: CommandMetrics,
): void {
  scope.route({
    method: route.method,
    url: route.path,
    handler: async (request, reply) => {
      const principal = request.principal;
      // The scope's authenticator guarantees a principal; never run a mutation without one.
      if (principal === null) throw new UnauthorizedError();
      const params = parseInput(route.params, request.params);
      const key = parseInput(
        idempotencyKey,
        request.headers['idempotency-key'],
        idempotencyKeyHeader,
      );
      const body = parseInput(route.body, request.body);
      const eventId = commandEventId(key, {
        principal,
        operationId: route.operationId,
        params,
        body,
      });
      let replayed = false;
      let appended = 0;
      const ctx: CommandContext = {
        principal,
        requestId: request.id,
        now: deps.clock(),
        async append<T extends EventType>(type: T, event: EventOf<T>) {
          // Later events of the same command get their own (still deterministic) ids, so a
          // retry dedupes each of them instead of the second colliding with the first.
          appended += 1;
          const id = appended === 1 ? eventId : `${eventId}:${appended}`;
          const result = await deps.bus.publish(type, event, {
            id,
            correlationId: request.id,
            occurredAt: ctx.now,
          });
          metrics.appended(type, result.duplicate);
          replayed ||= result.duplicate;
          return { eventId: id, duplicate: result.duplicate };
        },
      };
      const result = await traced(deps.tracer, request, () => route.handle({ params, body }, ctx));
      // A response that breaks its own contract is our bug: it surfaces as a 500, not a 400.
      const response: unknown = route.response.parse(result);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(route.status).send(response);
    },
  });
}

/** Runs the handler in a server span so appended events carry its trace context. */
async function traced<T>(
  tracer: Tracer | undefined,
  request: FastifyRequest,
  run: () => Promise<T>,
): Promise<T> {
  if (!tracer) return run();
  return tracer.startActiveSpan(
    `${request.method} ${request.routeOptions.url ?? ''}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } },
    async (span) => {
      try {
        return await run();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
