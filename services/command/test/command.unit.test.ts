import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '@nezuko/kit';
import { describe, expect, it } from 'vitest';
import { tokenMatches } from '../src/auth.ts';
import { commandConfigSchema } from '../src/config.ts';
import { BadRequestError, errorBody, toApiError } from '../src/errors.ts';
import { commandEventId } from '../src/idempotency.ts';
import { openApiDocument } from '../src/openapi.ts';
import { groupParams, setGroupEnabledBody } from '../src/routes/groups.ts';
import { documentedRoutes } from '../src/routes/documented.ts';
import { parseInput } from '../src/validation.ts';

function rejection(run: () => unknown): BadRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('expected a BadRequestError');
}

describe('group id', () => {
  it.each(['-1001234567890', '-42', '-9007199254740991'])(
    'accepts the Telegram chat id %s',
    (id) => {
      expect(parseInput(groupParams, { id })).toEqual({ id });
    },
  );

  it.each([
    'abc',
    '123',
    '0',
    '-0',
    '-012',
    '-1.5',
    '',
    '-9007199254740993',
    '-99999999999999999999',
  ])('rejects %j and names the id', (id) => {
    const error = rejection(() => parseInput(groupParams, { id }));
    expect(error.field).toBe('id');
    expect(error.status).toBe(400);
  });
});

describe('set-enabled body', () => {
  it('accepts a boolean', () => {
    expect(parseInput(setGroupEnabledBody, { enabled: false })).toEqual({ enabled: false });
  });

  it.each([
    ['a string', { enabled: 'yes' }, 'enabled'],
    ['a missing field', {}, 'enabled'],
    ['an unknown key', { enabled: true, colour: 'red' }, 'colour'],
  ])('rejects %s and names the field', (_case, body, field) => {
    const error = rejection(() => parseInput(setGroupEnabledBody, body));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it('rejects a body that is not an object without inventing a field', () => {
    const error = rejection(() => parseInput(setGroupEnabledBody, [true]));
    expect(error.field).toBeUndefined();
  });
});

describe('configuration', () => {
  const token = 'x'.repeat(24);

  it('applies the defaults; the service token is optional', () => {
    const config = parseConfig(commandConfigSchema, {});
    expect(config.ADMIN_API_TOKEN).toBeUndefined();
    expect(config.SESSION_TTL_HOURS).toBe(12);
    expect(config.LOGIN_MAX_FAILURES).toBe(5);
    expect(config.HTTP_PORT).toBe(3001);
    expect(config.ALLOWED_ORIGINS).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
  });

  it('treats an empty optional secret (compose `${VAR:-}`) as unset', () => {
    const config = parseConfig(commandConfigSchema, { ADMIN_API_TOKEN: '', NZ_TOKEN_KEYS: '' });
    expect(config.ADMIN_API_TOKEN).toBeUndefined();
    expect(config.NZ_TOKEN_KEYS).toBeUndefined();
  });

  it('parses a comma-separated origin list', () => {
    const config = parseConfig(commandConfigSchema, {
      ADMIN_API_TOKEN: token,
      ALLOWED_ORIGINS: 'https://admin.example.com, http://localhost:5173',
    });
    expect(config.ALLOWED_ORIGINS).toEqual(['https://admin.example.com', 'http://localhost:5173']);
  });

  it.each([
    [{ ADMIN_API_TOKEN: 'short' }, 'ADMIN_API_TOKEN'],
    [{ NZ_TOKEN_KEYS: 'k1:c2hvcnQ=' }, 'NZ_TOKEN_KEYS'],
    [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
    [
      { ADMIN_API_TOKEN: token, ALLOWED_ORIGINS: 'https://admin.example.com/path' },
      'ALLOWED_ORIGINS',
    ],
    [{ ADMIN_API_TOKEN: token, HTTP_PORT: 'http' }, 'HTTP_PORT'],
  ])('names the variable at fault in %j', (env, variable) => {
    expect(() => parseConfig(commandConfigSchema, env)).toThrow(ConfigError);
    expect(() => parseConfig(commandConfigSchema, env)).toThrow(variable);
  });

  it('never echoes the token', () => {
    expect(() => parseConfig(commandConfigSchema, { ADMIN_API_TOKEN: 'hunter2' })).not.toThrow(
      'hunter2',
    );
  });
});

describe('service token comparison', () => {
  it('matches only the exact token', () => {
    const token = 'a-long-enough-admin-token-0001';
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(`${token}2`, token)).toBe(false);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
  });
});

describe('idempotency ids', () => {
  const principal = {
    kind: 'admin',
    adminId: '00000000-0000-4000-8000-000000000001',
    email: 'a@example.com',
    role: 'admin',
    sessionHash: null,
  } as const;
  const command = {
    principal,
    operationId: 'setGroupEnabled',
    params: { id: '-1' },
    body: { enabled: true },
  };

  it('maps the same key and request to the same id', () => {
    expect(commandEventId('k1', command)).toBe(commandEventId('k1', { ...command }));
  });

  it('keeps a reused key for a different request apart', () => {
    expect(commandEventId('k1', command)).not.toBe(
      commandEventId('k1', { ...command, body: { enabled: false } }),
    );
    expect(commandEventId('k1', command)).not.toBe(
      commandEventId('k1', { ...command, principal: { ...principal, email: 'b@example.com' } }),
    );
  });

  it('gives every request without a key its own id, outside other producers’ id space', () => {
    const a = commandEventId(undefined, command);
    expect(a).not.toBe(commandEventId(undefined, command));
    expect(a.startsWith('cmd:')).toBe(true);
    expect(commandEventId('tg:1:2', command).startsWith('cmd:')).toBe(true);
  });
});

describe('error mapping', () => {
  it.each([
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'unsupported_media_type'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'payload_too_large'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'bad_request'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'bad_request'],
  ])('maps fastify %s to %i', (code, status, name) => {
    const error = toApiError(Object.assign(new Error('x'), { code }), 1024);
    expect([error.status, error.code]).toEqual([status, name]);
  });

  it('turns anything unexpected into a 500 whose body says nothing about it', () => {
    const error = toApiError(new Error('connection refused to postgres://user:pw@db'), 1024);
    const body = errorBody(error, 'req-1');
    expect(body).toEqual({ error: 'internal', message: 'internal error', request_id: 'req-1' });
  });
});

describe('OpenAPI document', () => {
  const document = openApiDocument(documentedRoutes()) as {
    paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
    components: {
      schemas: Record<string, { additionalProperties?: boolean; required?: string[] }>;
    };
  };

  it('describes every route with its schemas', () => {
    expect(document.paths['/api/v1/groups/{id}']?.put?.parameters.map((p) => p.name)).toEqual([
      'id',
      'Idempotency-Key',
    ]);
    expect(document.components.schemas.SetGroupRequest).toMatchObject({
      additionalProperties: false,
    });
    const operations = Object.values(document.paths).flatMap((p) => Object.keys(p));
    expect(operations).toHaveLength(documentedRoutes().length);
  });

  it('matches the committed openapi.json (run `npm run openapi -w @nezuko/command`)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(document);
  });
});
