// GET /api/v1/openapi.json: OpenAPI 3.1 generated from the same zod schemas that validate
// each request, plus the response schemas where the route declares one.
import { z } from 'zod';
import type { ApiRegistry } from './route.ts';

export function openApiDocument(registry: ApiRegistry): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registry.routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [
      ...parametersOf(route.params, 'path'),
      ...parametersOf(route.query, 'query'),
    ];
    const content: Record<string, unknown> = {};
    for (const type of route.produces ?? ['application/json']) {
      content[type] =
        type === 'application/json' && route.response
          ? { schema: z.toJSONSchema(route.response, { io: 'output', unrepresentable: 'any' }) }
          : {};
    }
    paths[path] = {
      get: {
        summary: route.summary,
        tags: [route.tag],
        parameters,
        responses: {
          '200': { description: 'OK', content },
          '400': {
            description: 'A parameter is invalid; `field` names it',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nezuko read API',
      version: '1',
      description: 'Read models projected from the event stream; live updates on /ws.',
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string' },
            message: { type: 'string' },
            field: { type: 'string' },
          },
        },
      },
    },
  };
}

function parametersOf(schema: z.ZodObject | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
