// The operational endpoints on the API's own port, answered from kit's probes so every
// service reports readiness the same way.
import type { FastifyInstance } from 'fastify';
import { readiness, type Probes } from '@nezuko/kit';

export const opsPaths = new Set(['/healthz', '/readyz', '/metrics']);

export function registerOpsRoutes(app: FastifyInstance, probes: Probes): void {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, checks } = await readiness(probes);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', draining: !!probes.draining, checks });
  });
  app.get('/metrics', (request, reply) => {
    reply.hijack();
    probes.serveMetrics(request.raw, reply.raw);
  });
}
