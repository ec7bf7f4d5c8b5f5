import { randomBytes } from 'node:crypto';
import { hashSessionId, newSessionId } from '@nezuko/sessions';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAdmin } from '../src/accounts/admins.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import {
  accounts,
  allowedOrigin,
  allStored,
  appFor,
  browser,
  lastStored,
  login,
  password,
  startHarness,
  type Harness,
} from './support.ts';

let harness: Harness;
let app: FastifyInstance;
const logLines: string[] = [];

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness, { logLines }).app;
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

const attempt = (target: FastifyInstance, email: string, pass: string, headers = {}) =>
  target.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: allowedOrigin, ...headers },
    payload: { email, password: pass },
  });

const me = (cookie: string) =>
  app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });

async function newAccount(): Promise<string> {
  const email = `u${randomBytes(4).toString('hex')}@example.com`;
  await insertAdmin(harness.store.db, {
    email,
    role: 'admin',
    passwordHash: await hashPassword(password),
  });
  return email;
}

describe('login', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie that /auth/me accepts', async () => {
    const res = await attempt(app, accounts.viewer.toUpperCase(), password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ admin: { email: accounts.viewer, role: 'viewer' } });
    const cookie = String([res.headers['set-cookie']].flat()[0]);
    expect(cookie).toMatch(/^nz_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    const who = await me(cookie.split(';')[0] ?? '');
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ email: accounts.viewer, role: 'viewer', kind: 'admin' });
    // The audit trail names who signed in (the request itself had no session).
    const { event } = await lastStored(harness, 'nz.evt.audit.session.recorded');
    expect(event).toMatchObject({
      event: {
        action: 'login',
        succeeded: true,
        actor: { who: { case: 'adminEmail', value: accounts.viewer } },
      },
    });
  });

  it('marks the cookie Secure outside localhost', async () => {
    const res = await attempt(app, accounts.viewer, password, { host: 'admin.example.com' });
    expect(res.statusCode).toBe(200);
    expect(String([res.headers['set-cookie']].flat()[0])).toContain('; Secure');
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const wrong = await attempt(app, accounts.viewer, 'not the password at all');
    const unknown = await attempt(app, 'nobody@example.com', password);
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // Both refusals are in the audit trail, without the password.
    const { event } = await lastStored(harness, 'nz.evt.audit.session.recorded');
    expect(event).toMatchObject({
      type: 'audit.recorded',
      event: { action: 'login', succeeded: false, ip: '127.0.0.1' },
    });
    expect(JSON.stringify(event)).toContain('nobody@example.com');
    expect(JSON.stringify(event)).not.toContain(password);
  });

  it('locks an account after five wrong passwords and says so, even to the right one', async () => {
    const email = await newAccount();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await attempt(app, email, `wrong-${i}`)).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 423]);
    const locked = await attempt(app, email, password);
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toMatchObject({ error: 'account_locked' });
    expect(locked.json<{ message: string }>().message).toMatch(/locked .* until \d{4}-/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
  });

  it('slows guessing from one address: past the limit it answers 429 with Retry-After', async () => {
    const throttled = appFor(harness, { ipLimit: 3 }).app;
    const from = { 'x-forwarded-for': '203.0.113.7' };
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await attempt(throttled, accounts.viewer, `guess-${i}`, from)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const blocked = await attempt(throttled, accounts.viewer, password, from);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    const other = await attempt(throttled, accounts.viewer, password, {
      'x-forwarded-for': '198.51.100.1',
    });
    expect(other.statusCode).toBe(200);
    await throttled.close();
  });

  it('holds the address limit across replicas: attempts on two of them add up', async () => {
    const first = appFor(harness, { ipLimit: 3 }).app;
    const second = appFor(harness, { ipLimit: 3 }).app;
    const from = { 'x-forwarded-for': '203.0.113.9' };
    const codes = [];
    for (const replica of [first, second, first, second])
      codes.push((await attempt(replica, accounts.viewer, 'guess', from)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    await first.close();
    await second.close();
  });

  it('rejects a malformed body with 400 naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: "' OR 1=1 --", password: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'email' });
    expect(res.body).not.toContain('OR 1=1');
  });

  it('never writes the password to a log line or the event stream', async () => {
    await login(app, accounts.owner);
    expect(logLines.join('\n')).not.toContain(password);
    const events = await allStored(harness);
    expect(events.some((e) => e.event.type === 'audit.recorded')).toBe(true);
    for (const e of events) expect(Buffer.from(e.raw).toString('latin1')).not.toContain(password);
  });
});

describe('sessions', () => {
  it('logout revokes the session: the same cookie is refused afterwards', async () => {
    const cookie = await login(app, accounts.admin);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: browser(cookie),
    });
    expect(out.statusCode).toBe(200);
    expect(String([out.headers['set-cookie']].flat()[0])).toContain('Max-Age=0');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it.each([
    ['a forged session id', `nz_session=${newSessionId()}`],
    ['a malformed cookie', "nz_session=' OR '1'='1"],
    ['no cookie', ''],
  ])('refuses %s with 401', async (_case, cookie) => {
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('refuses an expired session', async () => {
    const sessionId = newSessionId();
    const admin = await harness.store.db
      .selectFrom('nz_command.admins')
      .select('id')
      .where('email', '=', accounts.admin)
      .executeTakeFirstOrThrow();
    await harness.store.db
      .insertInto('nz_command.sessions')
      .values({
        token_hash: hashSessionId(sessionId),
        admin_id: admin.id,
        expires_at: new Date(Date.now() - 1000),
        ip: '127.0.0.1',
        user_agent: 'test',
      })
      .execute();
    expect((await me(`nz_session=${sessionId}`)).statusCode).toBe(401);
  });

  it('stores only a hash of the session id', async () => {
    const cookie = await login(app, accounts.viewer);
    const sessionId = cookie.split('=')[1] ?? '';
    const rows = await harness.store.db
      .selectFrom('nz_command.sessions')
      .select('token_hash')
      .execute();
    const stored = rows.map((r) => r.token_hash.toString('hex'));
    expect(stored).toContain(hashSessionId(sessionId).toString('hex'));
    expect(stored.join()).not.toContain(Buffer.from(sessionId).toString('hex'));
  });
});
