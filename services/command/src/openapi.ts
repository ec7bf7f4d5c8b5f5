// The OpenAPI 3.1 document of the write API, assembled from the route table and its zod
// schemas (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect). Served at
// /api/v1/openapi.json and committed as openapi.json so clients can diff it.
import { z } from 'zod';
import { idempotencyKey, idempotencyKeyDescription, idempotencyKeyHeader } from './idempotency.ts';
import { noBody, type AnyCommandRoute } from './routes/route.ts';

export const apiPrefix = '/api/v1';

type JsonSchema = Record<string, unknown>;

const errorSchema = z.object({
  error: z.string().meta({ description: 'Stable machine-readable code, e.g. bad_request' }),
  message: z.string(),
  field: z
    .string()
    .optional()
    .meta({ description: 'The input at fault (body field, path parameter or header)' }),
  request_id: z
    .string()
    .optional()
    .meta({ description: 'Present on 5xx: quote it when reporting the problem' }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

/** Component names for a route's body and response: `SetGroupEnabledRequest`, `...Response`. */
function componentNames(route: AnyCommandRoute): { request: string; response: string } {
  const base = route.operationId.charAt(0).toUpperCase() + route.operationId.slice(1);
  return { request: `${base}Request`, response: `${base}Response` };
}

function pathParameters(params: z.ZodType): JsonSchema[] {
  const schema = jsonSchema(params, 'input');
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'path',
      required: true,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const successDescription: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the event is stored; read models follow within moments',
};

function operation(route: AnyCommandRoute): JsonSchema {
  const headerSchema = jsonSchema(idempotencyKey.unwrap(), 'input');
  const names = componentNames(route);
  const mutation = route.method !== 'GET';
  const hasBody = route.body !== noBody;
  const isPublic = route.access === 'public';
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [
      route.description,
      isPublic ? 'No session needed.' : `Needs the ${route.access} role (or higher).`,
    ]
      .filter(Boolean)
      .join(' '),
    security: isPublic ? [] : [{ session: [] }, { bearer: [] }],
    parameters: [
      ...pathParameters(route.params),
      ...(mutation && !isPublic
        ? [
            {
              name: idempotencyKeyHeader,
              in: 'header',
              required: false,
              description: idempotencyKeyDescription,
              schema: headerSchema,
            },
          ]
        : []),
    ],
    ...(hasBody
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(names.request) } },
          },
        }
      : {}),
    responses: {
      [String(route.status)]: {
        description: successDescription[route.status] ?? 'OK',
        content: { 'application/json': { schema: ref(names.response) } },
      },
      '400': errorResponse('Invalid input; `field` names the input at fault'),
      ...(isPublic ? {} : { '401': errorResponse('No valid session (or service token)') }),
      '403': errorResponse(
        isPublic ? 'Origin not allowed' : 'Role too weak, or Origin not allowed (CSRF defence)',
      ),
      ...(hasBody
        ? {
            '413': errorResponse('Body too large'),
            '415': errorResponse('Body is not application/json'),
          }
        : {}),
      ...Object.fromEntries(
        Object.entries(route.errors ?? {}).map(([status, text]) => [status, errorResponse(text)]),
      ),
      '500': errorResponse('Internal error; the body carries only a request id'),
    },
  };
}

export function openApiDocument(routes: readonly AnyCommandRoute[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const schemas: Record<string, JsonSchema> = { Error: jsonSchema(errorSchema, 'output') };
  for (const route of routes) {
    const names = componentNames(route);
    if (route.body !== noBody) schemas[names.request] = jsonSchema(route.body, 'input');
    schemas[names.response] = jsonSchema(route.response, 'output');
    const path = apiPrefix + route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nezuko command API',
      version: '1',
      description:
        'The write API: sessions, admin accounts, bots, groups, channels and the command queue. ' +
        'Every accepted mutation is appended as events to NZ_EVENTS, with an audit.recorded entry.',
    },
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'nz_session',
          description: 'Set by POST /api/v1/auth/login; HttpOnly, SameSite=Strict',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The optional service token (ADMIN_API_TOKEN) for automation; admin role',
        },
      },
      schemas,
    },
  };
}
