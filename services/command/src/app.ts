// The command service's HTTP app, built from injected dependencies so tests drive it with
// `app.inject()` and no socket. It owns request ids, the one error handler, the origin
// guard and authenticator in front of every API route, role checks, the audit entry of
// every mutation, the route table and the ops routes.
import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import { WrongLastSequenceError, type EventBus, type Logger, type Probes } from '@nezuko/kit';
import type { EventOf, EventType, TelegramAction } from '@nezuko/proto';
import { SpanKind, SpanStatusCode, type Meter, type Tracer } from '@opentelemetry/api';
import { auditEvent } from './audit.ts';
import { originGuard, requireRole, type Authenticator } from './auth.ts';
import {
  AccountLockedError,
  ConflictError,
  errorBody,
  NotFoundError,
  toApiError,
  TooManyAttemptsError,
  UnauthorizedError,
} from './errors.ts';
import { commandEventId, idempotencyKey, idempotencyKeyHeader } from './idempotency.ts';
import { commandMetrics, type CommandMetrics } from './metrics.ts';
import { apiPrefix, openApiDocument } from './openapi.ts';
import { opsPaths, registerOpsRoutes } from './ops.ts';
import type {
  AnyCommandRoute,
  AppendOptions,
  AuditDetails,
  CommandContext,
} from './routes/index.ts';
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
  readonly routes: readonly AnyCommandRoute[];
  /** Proxies whose X-Forwarded-For/-Host/-Proto are believed (fastify trustProxy). */
  readonly trustProxy?: string;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

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
    // The dashboard's one-origin server sits in front: the client's address is in
    // X-Forwarded-For, which only a trusted proxy may set (login throttling, audit IPs).
    trustProxy: deps.trustProxy ?? 'loopback',
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
    if (apiError instanceof ConflictError && apiError.etag) reply.header('etag', apiError.etag);
    if (apiError instanceof TooManyAttemptsError)
      reply.header('retry-after', String(apiError.retryAfterSeconds));
    if (apiError instanceof AccountLockedError)
      reply.header(
        'retry-after',
        String(Math.max(1, Math.ceil((apiError.until.getTime() - Date.now()) / 1000))),
      );
    return reply.code(apiError.status).send(errorBody(apiError, request.id));
  });
  app.setNotFoundHandler((request) => {
    throw new NotFoundError(`no route for ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });

  registerOpsRoutes(app, deps.probes);
  const document = openApiDocument(deps.routes);
  app.get(`${apiPrefix}/openapi.json`, (_request, reply) => reply.send(document));

  void app.register(
    (api, _options, done) => {
      api.addHook('onRequest', originGuard(deps.allowedOrigins));
      api.addHook('onRequest', deps.authenticate);
      for (const route of deps.routes) registerCommandRoute(api, route, deps, metrics);
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
    // Runs before the body is read: anonymous callers and too-weak roles never make the
    // service parse a body.
    onRequest: (request) => {
      if (route.access !== 'public') requireRole(request, route.access);
      return Promise.resolve();
    },
    handler: async (request, reply) => {
      const principal = request.principal;
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
      let auditDetails: AuditDetails | undefined;
      const headers: [string, string][] = [];
      const now = deps.clock();
      const publishOptions = (id: string) => ({ id, correlationId: request.id, occurredAt: now });
      const ctx: CommandContext = {
        principal,
        requestId: request.id,
        now,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
        secureCookies: !loopbackHosts.has(request.hostname.replace(/:\d+$/, '')),
        ifMatch: request.headers['if-match'],
        commandId: eventId,
        async append<T extends EventType>(type: T, event: EventOf<T>, options?: AppendOptions) {
          // Later events of the same command get their own (still deterministic) ids, so a
          // retry dedupes each of them instead of the second colliding with the first.
          appended += 1;
          const id = appended === 1 ? eventId : `${eventId}:${appended}`;
          const result = await deps.bus
            .publish(type, event, { ...publishOptions(id), ...options })
            .catch((error: unknown) => {
              if (error instanceof WrongLastSequenceError)
                throw new ConflictError('changed by someone else since you read it; reload');
              throw error;
            });
          metrics.appended(type, result.duplicate);
          replayed ||= result.duplicate;
          return { eventId: id, duplicate: result.duplicate, seq: result.seq };
        },
        async enqueue(action: TelegramAction) {
          const id = `${eventId}:action`;
          const result = await deps.bus.publishAction(action, publishOptions(id));
          return { eventId: id, duplicate: result.duplicate, seq: result.seq };
        },
        audit(details) {
          auditDetails = details;
        },
        setHeader(name, value) {
          headers.push([name, value]);
        },
      };
      const result = await traced(deps.tracer, request, () => route.handle({ params, body }, ctx));
      // A response that breaks its own contract is our bug: it surfaces as a 500, not a 400.
      const response: unknown = route.response.parse(result);
      if (route.method !== 'GET') {
        const pathId = (params as { id?: unknown }).id;
        const details = auditDetails ?? {
          resourceId: typeof pathId === 'string' ? pathId : '',
          newValue: body,
        };
        const audit = auditEvent({
          auditId: `${eventId}:audit`,
          principal,
          ...(details.actorEmail !== undefined ? { actorEmail: details.actorEmail } : {}),
          action: route.operationId,
          resourceType: route.resource,
          resourceId: details.resourceId,
          oldValue: details.oldValue,
          newValue: details.newValue,
          ip: request.ip,
          userAgent: ctx.userAgent,
          requestId: request.id,
        });
        const stored = await deps.bus.publish(
          'audit.recorded',
          audit,
          publishOptions(audit.auditId),
        );
        metrics.appended('audit.recorded', stored.duplicate);
      }
      for (const [name, value] of headers) reply.header(name, value);
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
