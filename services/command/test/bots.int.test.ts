import { BotLifecycle } from '@nezuko/proto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accounts,
  allStored,
  appFor,
  browser,
  lastStored,
  login,
  startHarness,
  storedCount,
  type Harness,
} from './support.ts';

let harness: Harness;
let app: FastifyInstance;
let admin: Record<string, string>;
const logLines: string[] = [];
const responses: string[] = [];

beforeAll(async () => {
  harness = await startHarness();
  app = appFor(harness, { logLines }).app;
  await app.ready();
  admin = browser(await login(app, accounts.admin));
});

afterAll(async () => {
  await app.close();
  await harness.close();
});

async function emulatorBot(username: string): Promise<{ id: number; token: string }> {
  const res = await fetch(`${harness.telegramUrl}/control/bots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, first_name: 'Gatekeeper' }),
  });
  return (await res.json()) as { id: number; token: string };
}

async function call(
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers = admin,
) {
  const res = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  responses.push(res.body);
  return res;
}

describe('bots', () => {
  it('verifies a token with Telegram and stores nothing', async () => {
    const bot = await emulatorBot('verify_me_bot');
    const res = await call('POST', '/bots/verify', { token: bot.token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      bot_id: String(bot.id),
      username: 'verify_me_bot',
      first_name: 'Gatekeeper',
      can_join_groups: true,
    });
    expect(await storedCount(harness, `nz.evt.bot.${bot.id}.>`)).toBe(0);
  });

  it('refuses a token Telegram does not know, naming the field but not the token', async () => {
    const token = '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const res = await call('POST', '/bots/verify', { token });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'token' });
    expect(res.body).not.toContain(token);
    const malformed = await call('POST', '/bots', { token: 'not-a-token<script>' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).not.toContain('<script>');
  });

  it('registers a bot with its token sealed, then deactivates, reactivates and deletes it', async () => {
    const bot = await emulatorBot('gate_keeper_bot');
    const res = await call('POST', '/bots', { token: bot.token });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ bot_id: String(bot.id), username: 'gate_keeper_bot' });

    const { event } = await lastStored(harness, `nz.evt.bot.${bot.id}.registered`);
    if (event.type !== 'bot.registered') throw new Error(`unexpected ${event.type}`);
    expect(event.event.registeredBy?.who.value).toBe(accounts.admin);
    const sealed = event.event.token;
    if (!sealed) throw new Error('no sealed token');
    expect(harness.keyring.open(sealed)).toBe(bot.token);

    const off = await call('PATCH', `/bots/${bot.id}`, { active: false });
    expect(off.statusCode).toBe(202);
    const lifecycle = `nz.evt.bot.${bot.id}.lifecycle_changed`;
    expect((await lastStored(harness, lifecycle)).event).toMatchObject({
      event: { lifecycle: BotLifecycle.DISABLED },
    });
    await call('PATCH', `/bots/${bot.id}`, { active: true });
    expect((await lastStored(harness, lifecycle)).event).toMatchObject({
      event: { lifecycle: BotLifecycle.ENABLED },
    });
    const gone = await call('DELETE', `/bots/${bot.id}`);
    expect(gone.statusCode).toBe(202);
    expect((await lastStored(harness, lifecycle)).event).toMatchObject({
      event: { lifecycle: BotLifecycle.DELETED },
    });
    expect((await call('PATCH', `/bots/${bot.id}`, { active: true })).statusCode).toBe(404);
    const audit = await lastStored(harness, 'nz.evt.audit.bot.recorded');
    expect(audit.event).toMatchObject({
      event: {
        action: 'deleteBot',
        oldValue: '{"state":"enabled"}',
        newValue: '{"state":"deleted"}',
      },
    });
  });

  it('answers 404 for a bot never registered', async () => {
    expect((await call('PATCH', '/bots/42', { active: false })).statusCode).toBe(404);
    expect((await call('DELETE', '/bots/42')).statusCode).toBe(404);
  });

  it('lets a viewer do none of it', async () => {
    const viewer = browser(await login(app, accounts.viewer));
    const bot = await emulatorBot('not_for_viewers_bot');
    for (const res of [
      await call('POST', '/bots/verify', { token: bot.token }, viewer),
      await call('POST', '/bots', { token: bot.token }, viewer),
      await call('PATCH', `/bots/${bot.id}`, { active: false }, viewer),
      await call('DELETE', `/bots/${bot.id}`, undefined, viewer),
    ])
      expect(res.statusCode).toBe(403);
  });

  it('never lets a token appear in a response, a log line or the stream in clear', async () => {
    const bot = await emulatorBot('leak_check_bot');
    await call('POST', '/bots', { token: bot.token });
    await call('POST', '/bots/verify', { token: bot.token });
    const secretPart = bot.token.split(':')[1] ?? bot.token;
    expect(responses.join('\n')).not.toContain(secretPart);
    expect(logLines.join('\n')).not.toContain(secretPart);
    for (const stored of await allStored(harness))
      expect(Buffer.from(stored.raw).toString('latin1')).not.toContain(secretPart);
  });
});
