// Registers a GET route whose query (and path) parameters are validated with zod and
// recorded for the OpenAPI document, so the document cannot drift from the validation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { parseQuery } from './errors.ts';

export interface RouteDoc {
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly query?: z.ZodObject;
  readonly params?: z.ZodObject;
  readonly response?: z.ZodType;
  readonly produces?: readonly string[];
}

export interface ApiRegistry {
  readonly routes: RouteDoc[];
}

export function createRegistry(): ApiRegistry {
  return { routes: [] };
}

export function getRoute<Q extends z.ZodObject, P extends z.ZodObject>(
  app: FastifyInstance,
  registry: ApiRegistry,
  doc: RouteDoc & { readonly query?: Q; readonly params?: P },
  handler: (
    input: { query: z.infer<Q>; params: z.infer<P> },
    request: FastifyRequest,
    reply: FastifyReply,
  ) => Promise<unknown>,
): void {
  registry.routes.push(doc);
  app.get(doc.path, async (request, reply) => {
    const query = (doc.query ? parseQuery(doc.query, request.query) : {}) as z.infer<Q>;
    const params = (doc.params ? parseQuery(doc.params, request.params) : {}) as z.infer<P>;
    return handler({ query, params }, request, reply);
  });
}
