// Every route of the route table, probed the way an attacker would: without a session,
// with a too-weak role, from another site, with bodies of the wrong size or type. New
// routes are covered as soon as they are added to the table.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { roleAllows } from '@nezuko/sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedRoutes } from '../src/routes/documented.ts';
import {
  accounts,
  allowedOrigin,
  appFor,
  browser,
  login,
  startHarness,
  type Harness,
} from './support.ts';

let harness: Harness;
let app: FastifyInstance;
let viewer: Record<string, string>;
let owner: Record<string, string>;

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness).app;
  await app.ready();
  viewer = browser(await login(app, accounts.viewer));
  owner = browser(await login(app, accounts.owner));
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

const routes = documentedRoutes().filter((r) => r.access !== 'public');

function concreteUrl(path: string): string {
  const id = path.startsWith('/admins')
    ? '00000000-0000-4000-8000-000000000000'
    : path.startsWith('/bots')
      ? '42'
      : '-1001';
  return `/api/v1${path.replace(':channel_id', '-1002').replace(':id', id)}`;
}

const request = (
  route: (typeof routes)[number],
  headers: Record<string, string>,
  payload?: unknown,
): InjectOptions => ({
  method: route.method,
  url: concreteUrl(route.path),
  headers,
  ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: payload ?? {} }),
});

const label = (route: (typeof routes)[number]) => `${route.method} ${route.path}`;

describe('every route', () => {
  it.each(routes.map((r) => [label(r), r] as const))(
    '%s answers 401 without a session',
    async (_l, route) => {
      const res = await app.inject(request(route, { origin: allowedOrigin }));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
    },
  );

  it.each(routes.map((r) => [label(r), r] as const))(
    '%s answers 401 for a forged cookie',
    async (_l, route) => {
      const forged = { cookie: `nz_session=${'A'.repeat(43)}`, origin: allowedOrigin };
      expect((await app.inject(request(route, forged))).statusCode).toBe(401);
    },
  );

  const tooStrong = routes.filter(
    (r) => !roleAllows('viewer', r.access === 'public' ? 'viewer' : r.access),
  );
  it.each(tooStrong.map((r) => [label(r), r] as const))(
    '%s answers 403 to a viewer',
    async (_l, route) => {
      const res = await app.inject(request(route, viewer));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden' });
    },
  );

  const mutations = routes.filter((r) => r.method !== 'GET');
  it.each(mutations.map((r) => [label(r), r] as const))(
    '%s refuses a cross-origin request even with a valid owner session',
    async (_l, route) => {
      const res = await app.inject(request(route, { ...owner, origin: 'https://evil.example' }));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden_origin' });
    },
  );

  const withBody = mutations.filter((r) => r.method !== 'DELETE' && r.path !== '/auth/logout');
  it.each(withBody.map((r) => [label(r), r] as const))(
    '%s refuses a body that is too large (413) or not JSON (415)',
    async (_l, route) => {
      const big = await app.inject({
        ...request(route, { ...owner, 'content-type': 'application/json' }),
        payload: JSON.stringify({ padding: 'x'.repeat(70 * 1024) }),
      });
      expect(big.statusCode).toBe(413);
      const text = await app.inject({
        ...request(route, { ...owner, 'content-type': 'text/html' }),
        payload: '<script>alert(1)</script>',
      });
      expect(text.statusCode).toBe(415);
      expect(text.body).not.toContain('<script>');
    },
  );
});

describe('hostile text', () => {
  const hostile = [
    `<script>alert(document.cookie)</script>`,
    `'; DROP TABLE nz_command.sessions; --`,
    `" onmouseover="alert(1)`,
  ];
  it.each(hostile)('is never echoed back in an error: %s', async (text) => {
    for (const route of withBodyRoutes()) {
      const res = await app.inject(
        request(route, owner, { [`${text}`]: text, email: text, token: text }),
      );
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).not.toContain('<script>');
      expect(res.body).not.toContain('DROP TABLE');
    }
    // Nothing was executed: sessions still verify.
    expect((await app.inject({ url: '/api/v1/auth/me', headers: owner })).statusCode).toBe(200);
  });
});

function withBodyRoutes() {
  return routes.filter(
    (r) => r.method !== 'GET' && r.method !== 'DELETE' && r.path !== '/auth/logout',
  );
}
