import { createLogger } from '@nezuko/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSessionSweeper } from '../src/accounts/sessionSweeper.ts';
import { accounts, appFor, login, startHarness, type Harness } from './support.ts';
import type { FastifyInstance } from 'fastify';

let harness: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness).app;
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

const me = (cookie: string) =>
  app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });

const sessionRows = async () =>
  (await harness.store.db.selectFrom('nz_command.sessions').select('expires_at').execute()).length;

describe('session sweeper', () => {
  it('deletes expired and revoked sessions and keeps the ones still usable', async () => {
    const live = await login(app, accounts.viewer);
    const loggedOut = await login(app, accounts.admin);
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: loggedOut, origin: 'http://localhost:3000' },
    });
    const expiring = await login(app, accounts.owner);
    const before = await sessionRows();
    expect(before).toBeGreaterThanOrEqual(3);

    // 13 hours on, the owner's 12-hour session has expired too; only after a sweep.
    const now = new Date(Date.now() + 13 * 60 * 60_000);
    await harness.store.db
      .updateTable('nz_command.sessions')
      .set({ expires_at: new Date(now.getTime() + 60 * 60_000) })
      .where('admin_id', '=', (await adminId(accounts.viewer))!)
      .execute();
    const sweeper = startSessionSweeper(harness.store.db, createLogger('command', 'silent'), {
      clock: () => now,
    });
    const purged = await sweeper.sweep();
    await sweeper.stop();

    expect(purged).toBe(before - 1);
    expect(await sessionRows()).toBe(1);
    expect((await me(live)).statusCode).toBe(200);
    expect((await me(expiring)).statusCode).toBe(401);
  });
});

async function adminId(email: string): Promise<string | undefined> {
  const row = await harness.store.db
    .selectFrom('nz_command.admins')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.id;
}
