// Webhook mode: setWebhook with a secret; Telegram's POSTs become stored facts; a wrong or
// missing secret is 401; the answer comes only once the update's facts are stored.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSecret } from '../src/updates/webhook.ts';
import {
  startGateway,
  startNatsSpace,
  startTelegram,
  type NatsSpace,
  type RunningGateway,
  type Telegram,
} from './support/harness.ts';

let tg: Telegram;
let space: NatsSpace;
let gateway: RunningGateway | undefined;
let server: Server;
let base: string;
let bot: { id: number; token: string };
let group: { id: number };
let user: { id: number; first_name: string };

beforeAll(async () => {
  tg = await startTelegram();
  space = await startNatsSpace('hook');
  server = createServer((req, res) => {
    if (!gateway?.app.handleWebhook(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bot = await tg.control('POST', '/control/bots', { username: 'hook_bot', first_name: 'Hook' });
  const owner = await tg.control<{ id: number }>('POST', '/control/users', { first_name: 'O' });
  user = await tg.control('POST', '/control/users', { first_name: 'Wendy' });
  group = await tg.control('POST', '/control/chats', {
    type: 'supergroup',
    title: 'Hooked',
    creator_id: owner.id,
  });
  await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, {
    status: 'administrator',
  });
  await tg.control('POST', `/control/chats/${group.id}/join`, { user_id: user.id });
  gateway = await startGateway(space, { apiRoot: tg.url, token: bot.token, webhookBaseUrl: base });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => server.close(resolve));
  await space?.close();
  await tg?.close();
});

const post = (path: string, body: unknown, secret?: string) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body: JSON.stringify(body),
  });

const update = (updateId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: group.id, type: 'supergroup', title: 'Hooked' },
    from: { id: user.id, is_bot: false, first_name: 'Wendy' },
    text,
  },
});

describe('webhook mode', () => {
  it('sets the webhook with a secret and stores what Telegram delivers', async () => {
    const said = await tg.control<{ message_id: number }>(
      'POST',
      `/control/chats/${group.id}/messages`,
      { user_id: user.id, text: 'hello over the webhook' },
    );
    const fact = await space.waitForEvent(
      'chat.message_received',
      (e) => e.messageId === String(said.message_id),
    );
    expect(fact.event.user?.id).toBe(String(user.id));
    const polls = await tg.control<unknown[]>(
      'GET',
      `/control/requests?token=${bot.token}&method=getUpdates`,
    );
    expect(polls).toEqual([]);
    // Calls made outside the runner are recorded too (the env bot's getMe, setWebhook).
    await space.waitForEvent(
      'bot.api_called',
      (e) => e.method === 'setWebhook' && e.botId === String(bot.id),
    );
    await space.waitForEvent('bot.api_called', (e) => e.method === 'getMe');
  });

  it('refuses a wrong or missing secret with 401 and an unknown bot with 404', async () => {
    expect((await post(`/telegram/webhook/${bot.id}`, update(900001, 'x'), 'wrong')).status).toBe(
      401,
    );
    expect((await post(`/telegram/webhook/${bot.id}`, update(900002, 'x'))).status).toBe(401);
    expect((await post('/telegram/webhook/12345', update(900003, 'x'), 'any')).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(space.eventsOf('chat.message_received', (e) => Number(e.messageId) >= 900001)).toEqual(
      [],
    );
  });

  it('answers only once the update is stored', async () => {
    const response = await post(
      `/telegram/webhook/${bot.id}`,
      update(900010, 'stored first'),
      webhookSecret(bot.token),
    );
    expect(response.status).toBe(200);
    // Read straight from the stream at the moment of the answer: the fact is already there.
    const last = await space.jsm.streams.getMessage(space.names.stream('NZ_EVENTS'), {
      last_by_subj: space.names.subject(`nz.evt.chat.${group.id}.message_received`),
    });
    expect(last?.header.get('Nats-Msg-Id')).toBe(`tg:${bot.id}:900010`);
  });
});
