import { createHash, createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  allowedOrigin,
  appFor,
  browser,
  login,
  startHarness,
  type Harness,
} from './support.ts';

const loginBotToken = '5000000001:login-bot-secret-abcdefghijklmnop';
let harness: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness, { telegramLoginBotToken: loginBotToken }).app;
  await app.ready();
  const owner = browser(await login(app, accounts.owner));
  const admin = browser(await login(app, accounts.admin));
  for (const [headers, telegramId] of [
    [owner, '111'],
    [admin, '222'],
  ] as const) {
    const me = await app.inject({ url: '/api/v1/auth/me', headers });
    const ownerOnly = browser(await login(app, accounts.owner));
    const res = await app.inject({
      method: 'PUT',
      url: `/api/v1/admins/${me.json<{ id: string }>().id}`,
      headers: ownerOnly,
      payload: { telegram_user_id: telegramId },
    });
    expect(res.statusCode).toBe(200);
  }
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

/** What the widget hands the page after the user confirms in Telegram. */
function widget(id: number, authDate = Math.floor(Date.now() / 1000), token = loginBotToken) {
  const fields: Record<string, string | number> = {
    id,
    first_name: 'Olga',
    username: 'olga',
    auth_date: authDate,
  };
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('\n');
  const key = createHash('sha256').update(token).digest();
  return { ...fields, hash: createHmac('sha256', key).update(check).digest('hex') };
}

const post = (target: FastifyInstance, payload: unknown) =>
  target.inject({
    method: 'POST',
    url: '/api/v1/auth/telegram',
    headers: { origin: allowedOrigin },
    payload: payload as object,
  });

describe('Telegram Login Widget', () => {
  it('signs in the owner linked to the Telegram id', async () => {
    const res = await post(app, widget(111));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ admin: { email: accounts.owner, role: 'owner' } });
    expect(String([res.headers['set-cookie']].flat()[0])).toMatch(/^nz_session=.*HttpOnly/);
  });

  it.each([
    [
      'a proof made with another bot',
      () => widget(111, undefined, '5000000002:other-bot-token-000000000'),
    ],
    ['a proof older than a day', () => widget(111, Math.floor(Date.now() / 1000) - 90_000)],
    ['a tampered id', () => ({ ...widget(111), id: 112 })],
    ['an admin who is not an owner', () => widget(222)],
    ['a Telegram user linked to nobody', () => widget(333)],
  ])('refuses %s', async (_case, make) => {
    const res = await post(app, make());
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('is off unless configured', async () => {
    const plain = appFor(harness).app;
    expect((await post(plain, widget(111))).statusCode).toBe(404);
    await plain.close();
  });
});
