import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
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
let owner: Record<string, string>;

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness).app;
  await app.ready();
  owner = browser(await login(app, accounts.owner));
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

interface AdminView {
  id: string;
  email: string;
  role: string;
}

const call = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  headers = owner,
  payload?: unknown,
) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function createAdmin(email: string, role: string): Promise<AdminView> {
  const res = await call('POST', '/admins', owner, { email, role, password });
  expect(res.statusCode).toBe(201);
  return res.json<AdminView>();
}

describe('admin management', () => {
  it('lets an owner create an account that can then sign in, and records it without secrets', async () => {
    const created = await createAdmin('New.Admin@Example.com', 'admin');
    expect(created).toMatchObject({ email: 'new.admin@example.com', role: 'admin' });
    expect(JSON.stringify(created)).not.toMatch(/password|hash/i);

    const { event } = await lastStored(harness, `nz.evt.admin.${created.id}.created`);
    expect(event).toMatchObject({
      type: 'admin.created',
      event: { email: 'new.admin@example.com', role: 'admin' },
    });
    const audit = await lastStored(harness, 'nz.evt.audit.admin.recorded');
    expect(audit.event).toMatchObject({
      type: 'audit.recorded',
      event: {
        action: 'createAdmin',
        resourceType: 'admin',
        resourceId: created.id,
        actor: { who: { case: 'adminEmail', value: accounts.owner } },
        userAgent: 'lightMyRequest',
      },
    });
    if (audit.event.type !== 'audit.recorded') throw new Error('not an audit entry');
    expect(audit.event.event.ip).toBe('127.0.0.1');
    expect(audit.event.event.newValue).not.toContain(password);

    await login(app, 'new.admin@example.com');
    const list = await call('GET', '/admins');
    expect(list.json<{ admins: AdminView[] }>().admins.map((a) => a.email)).toContain(
      'new.admin@example.com',
    );
  });

  it('refuses a second account with the same email (409) and a weak password (400)', async () => {
    const dup = await call('POST', '/admins', owner, {
      email: accounts.viewer,
      role: 'viewer',
      password,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: 'conflict', field: 'email' });
    const weak = await call('POST', '/admins', owner, {
      email: 'x@example.com',
      role: 'viewer',
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ field: 'password' });
  });

  it.each(['admin', 'viewer'] as const)('is owner-only: an %s gets 403', async (role) => {
    const headers = browser(await login(app, accounts[role]));
    expect((await call('GET', '/admins', headers)).statusCode).toBe(403);
    const res = await call('POST', '/admins', headers, {
      email: 'y@example.com',
      role: 'owner',
      password,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden' });
  });

  it('applies a role change to live sessions at once and records it', async () => {
    const target = await createAdmin('promote.me@example.com', 'viewer');
    const session = browser(await login(app, 'promote.me@example.com'));
    const before = await call('PUT', '/groups/-1001', session, { enabled: true });
    expect(before.statusCode).toBe(403);

    const res = await call('PUT', `/admins/${target.id}`, owner, { role: 'admin' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'admin' });
    const { event } = await lastStored(harness, `nz.evt.admin.${target.id}.role_changed`);
    expect(event).toMatchObject({ event: { oldRole: 'viewer', newRole: 'admin' } });

    const after = await call('PUT', '/groups/-1001', session, { enabled: true });
    expect(after.statusCode).toBe(202);
  });

  it('signs an admin out everywhere when the password changes', async () => {
    const target = await createAdmin('rotate@example.com', 'viewer');
    const session = browser(await login(app, 'rotate@example.com'));
    await call('PUT', `/admins/${target.id}`, owner, { password: 'a brand new long password' });
    expect((await call('GET', '/auth/me', session)).statusCode).toBe(401);
  });

  it('deletes an account: its sessions end and it cannot sign in', async () => {
    const target = await createAdmin('leaving@example.com', 'admin');
    const session = browser(await login(app, 'leaving@example.com'));
    const res = await call('DELETE', `/admins/${target.id}`);
    expect(res.statusCode).toBe(200);
    expect((await call('GET', '/auth/me', session)).statusCode).toBe(401);
    expect((await call('GET', `/admins/${target.id}`)).statusCode).toBe(404);
    await expect(login(app, 'leaving@example.com')).rejects.toThrow(/401/);
    const { event } = await lastStored(harness, `nz.evt.admin.${target.id}.deleted`);
    expect(event).toMatchObject({ type: 'admin.deleted', event: { email: 'leaving@example.com' } });
  });

  it('never demotes or deletes the last owner', async () => {
    const me = await call('GET', '/auth/me');
    const id = me.json<{ id: string }>().id;
    const demote = await call('PUT', `/admins/${id}`, owner, { role: 'admin' });
    expect(demote.statusCode).toBe(409);
    const other = await createAdmin('second.owner@example.com', 'owner');
    const second = browser(await login(app, 'second.owner@example.com'));
    await call('DELETE', `/admins/${other.id}`, second).then((r) => expect(r.statusCode).toBe(400));
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await call('GET', '/admins/00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    const bad = await call('GET', "/admins/1' or '1'='1");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'id' });
  });
});
