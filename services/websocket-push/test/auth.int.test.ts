// The read API and /ws accept the dashboard session the command service issues, and
// nothing else: sessions live in the command service's tables (here a database of their
// own, migrated by the command service's code), verified by @nezuko/sessions.
import {
  createCommandDb,
  hashPassword,
  insertAdmin,
  type CommandDb,
} from '@nezuko/command/accounts';
import { migrateCommandDb } from '@nezuko/command/accounts';
import { createTestDatabase, testEnv, type TestDatabase } from '@nezuko/kit/testing';
import { createSessionVerifier, hashSessionId, newSessionId } from '@nezuko/sessions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionAuth } from '../src/http/auth.ts';
import { startReadSide, type ReadSide } from './support.ts';

let accounts: TestDatabase;
let store: CommandDb;
let side: ReadSide;
let live: string;
let revoked: string;
let base: string;

async function session(adminId: string, revokedAt: Date | null): Promise<string> {
  const id = newSessionId();
  await store.db
    .insertInto('nz_command.sessions')
    .values({
      token_hash: hashSessionId(id),
      admin_id: adminId,
      expires_at: new Date(Date.now() + 3_600_000),
      revoked_at: revokedAt,
      ip: '127.0.0.1',
      user_agent: 'test',
    })
    .execute();
  return `nz_session=${id}`;
}

beforeAll(async () => {
  accounts = await createTestDatabase(testEnv().databaseUrl, 'nz_sessions');
  store = createCommandDb(accounts.url);
  await migrateCommandDb(store.db);
  const viewer = await insertAdmin(store.db, {
    email: 'viewer@example.com',
    role: 'viewer',
    passwordHash: await hashPassword('irrelevant password'),
  });
  live = await session(viewer.id, null);
  revoked = await session(viewer.id, new Date());
  side = await startReadSide('auth', {
    auth: sessionAuth(createSessionVerifier(store.pool), 'session'),
  });
  const address = await side.app.listen({ port: 0, host: '127.0.0.1' });
  base = address.replace('http://', '');
});

afterAll(async () => {
  await side.close();
  await store.close();
  await accounts.drop();
});

describe('read API sessions', () => {
  it.each([
    ['no cookie', undefined],
    ['a forged session', `nz_session=${newSessionId()}`],
    ['a revoked session', () => revoked],
    ['an injection attempt', "nz_session=' OR '1'='1"],
  ])('answers 401 to %s', async (_case, cookie) => {
    const value = typeof cookie === 'function' ? cookie() : cookie;
    const res = await side.app.inject({
      url: '/api/v1/dashboard/stats',
      ...(value ? { headers: { cookie: value } } : {}),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('answers 401 on every read route of its OpenAPI document without a session', async () => {
    const doc = (await side.app.inject({ url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    const paths = Object.keys(doc.paths).filter((p) => !p.endsWith('/openapi.json'));
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) {
      const url = path.replace(/\{[^}]+\}/g, '-1001');
      const res = await side.app.inject({ url });
      expect({ path, status: res.statusCode }).toEqual({ path, status: 401 });
    }
  });

  it('serves a viewer with a live session', async () => {
    const res = await side.app.inject({
      url: '/api/v1/dashboard/stats',
      headers: { cookie: live },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses the WebSocket upgrade without a session and accepts it with one', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://${base}/ws`);
        socket.addEventListener('open', () => resolve('open'));
        socket.addEventListener('error', () => reject(new Error('refused')));
      }),
    ).rejects.toThrow('refused');
    const opened = await new Promise((resolve, reject) => {
      // Node's WebSocket (undici) takes headers, as a browser sends the cookie itself.
      const socket = new WebSocket(`ws://${base}/ws`, { headers: { cookie: live } });
      socket.addEventListener('open', () => {
        socket.close();
        resolve('open');
      });
      socket.addEventListener('error', () => reject(new Error('refused')));
    });
    expect(opened).toBe('open');
  });
});
