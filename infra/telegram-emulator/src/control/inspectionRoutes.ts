// Control routes for observing and disturbing the emulator: the request log, injected
// faults, rate limits, a bot's pending updates, and reset.

import { ActionRefused } from '../state/userActions.ts';
import { parseInput, requireNumber } from './http.ts';
import { faultBody, rateLimitBody, requestsQuery } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { ControlDeps } from './http.ts';

export function registerInspectionRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { state } = deps;

  app.get('/control/requests', (request) => {
    const query = parseInput(requestsQuery, request.query);
    const botId =
      query.token === undefined ? undefined : (state.botByToken(query.token)?.user.id ?? -1);
    return deps.requestLog.query({
      botId,
      method: query.method,
      since: query.since,
      afterId: query.after_id,
    });
  });

  app.post('/control/faults', (request, reply) => {
    deps.faults.add(parseInput(faultBody, request.body));
    return reply.code(201).send({ ok: true, faults: deps.faults.list() });
  });
  app.get('/control/faults', () => deps.faults.list());
  app.delete('/control/faults', () => {
    deps.faults.clear();
    return { ok: true };
  });

  app.put('/control/rate-limit', (request) => {
    deps.rateLimiter.configure(parseInput(rateLimitBody, request.body));
    return { ok: true, limits: deps.rateLimiter.current };
  });
  app.get('/control/rate-limit', () => ({ limits: deps.rateLimiter.current ?? null }));
  app.delete('/control/rate-limit', () => {
    deps.rateLimiter.configure(undefined);
    return { ok: true };
  });

  app.get<{ Params: { botId: string } }>('/control/bots/:botId/updates', (request) => {
    const botId = requireNumber(request.params.botId, 'botId');
    if (!state.bots.has(botId)) throw new ActionRefused(404, `bot ${botId} not found`);
    const inbox = deps.hub.inbox(botId);
    return {
      allowed_updates: [...inbox.allowedUpdates],
      webhook_url: inbox.webhook?.config.url ?? null,
      pending: inbox.pending,
    };
  });

  app.post('/control/reset', async () => {
    await deps.reset();
    return { ok: true };
  });
}
