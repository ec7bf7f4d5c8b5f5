import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, standardWorld, startEmulator } from './support/harness.ts';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Harness, World } from './support/harness.ts';

interface Received {
  headers: IncomingHttpHeaders;
  update: { update_id: number; message?: { text?: string } };
}

/** A bot's webhook endpoint that records what it received and answers as told. */
function webhookReceiver(
  respond: (received: Received, attempt: number) => { status: number; body?: unknown },
) {
  const received: Received[] = [];
  let attempts = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry = { headers: request.headers, update: JSON.parse(body) as Received['update'] };
      attempts++;
      const answer = respond(entry, attempts);
      if (answer.status < 300) received.push(entry);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  return {
    received,
    attempts: () => attempts,
    start: () =>
      new Promise<string>((resolve) => {
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(
            `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`,
          );
        });
      }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A URL nobody listens on. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
}

let h: Harness;
let world: World;
let receiver: ReturnType<typeof webhookReceiver> | undefined;

beforeEach(async () => {
  h = await startEmulator({ webhookRetryBaseMs: 50, webhookRetryMaxMs: 200 });
  world = await standardWorld(h);
});
afterEach(async () => {
  await h.close();
  await receiver?.stop();
  receiver = undefined;
});

const say = (text: string) =>
  h.control('POST', `/control/chats/${world.chatId}/messages`, { user_id: world.aliceId, text });

describe('webhook delivery', () => {
  it('posts each update in order with the secret token header', async () => {
    receiver = webhookReceiver(() => ({ status: 200 }));
    const url = await receiver.start();
    const set = await h.api(world.token, 'setWebhook', {
      url,
      secret_token: 'S3cret_token-1',
      drop_pending_updates: true,
    });
    expect(set.body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    await say('first');
    await say('second');
    await say('third');
    const current = receiver;
    await eventually(() => expect(current.received).toHaveLength(3));
    expect(current.received.map((r) => r.update.message?.text)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(
      current.received.every(
        (r) => r.headers['x-telegram-bot-api-secret-token'] === 'S3cret_token-1',
      ),
    ).toBe(true);
    const info = await h.api(world.token, 'getWebhookInfo');
    expect(info.body.result).toMatchObject({
      url,
      has_custom_certificate: false,
      pending_update_count: 0,
    });
  });

  it('retries a failed delivery and reports the error meanwhile', async () => {
    receiver = webhookReceiver((_received, attempt) => ({ status: attempt <= 2 ? 500 : 200 }));
    const url = await receiver.start();
    await h.api(world.token, 'setWebhook', { url, drop_pending_updates: true });
    await say('eventually delivered');
    const current = receiver;
    await eventually(() => expect(current.attempts()).toBeGreaterThanOrEqual(1));
    await eventually(async () => {
      const info = await h.api(world.token, 'getWebhookInfo');
      expect(info.body.result).toMatchObject({
        last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
      });
    });
    await eventually(() => expect(current.received).toHaveLength(1));
    expect(current.attempts()).toBe(3);
    expect(current.received[0]?.update.message?.text).toBe('eventually delivered');
    const info = await h.api(world.token, 'getWebhookInfo');
    expect(info.body.result).toMatchObject({ pending_update_count: 0 });
  });

  it('records a refused connection and keeps the update pending', async () => {
    await h.api(world.token, 'setWebhook', { url: await refusedUrl(), drop_pending_updates: true });
    await say('nobody listens');
    await eventually(async () => {
      const info = await h.api(world.token, 'getWebhookInfo');
      expect(info.body.result).toMatchObject({
        pending_update_count: 1,
        last_error_message: 'Connection refused',
      });
    });
  });

  it('executes a method returned in the webhook response', async () => {
    receiver = webhookReceiver((received) => ({
      status: 200,
      body: {
        method: 'sendMessage',
        chat_id: world.chatId,
        text: `echo: ${received.update.message?.text ?? ''}`,
      },
    }));
    const url = await receiver.start();
    await h.api(world.token, 'setWebhook', { url, drop_pending_updates: true });
    await say('ping');
    await eventually(async () => {
      const messages = await h.control<Array<{ text?: string; from?: { id: number } }>>(
        'GET',
        `/control/chats/${world.chatId}/messages`,
      );
      expect(messages.body.at(-1)).toMatchObject({ text: 'echo: ping', from: { id: world.botId } });
    });
  });

  it('says when the webhook is already set or deleted, and validates the secret token', async () => {
    const url = 'http://127.0.0.1:9/hook';
    expect((await h.api(world.token, 'setWebhook', { url })).body.description).toBe(
      'Webhook was set',
    );
    expect((await h.api(world.token, 'setWebhook', { url })).body.description).toBe(
      'Webhook is already set',
    );
    const bad = await h.api(world.token, 'setWebhook', { url, secret_token: 'no spaces!' });
    expect(bad.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: secret token contains unallowed characters',
    });
    expect((await h.api(world.token, 'deleteWebhook')).body.description).toBe(
      'Webhook was deleted',
    );
    expect((await h.api(world.token, 'deleteWebhook')).body.description).toBe(
      'Webhook is already deleted',
    );
  });

  it('terminates a held getUpdates when a webhook is set', async () => {
    const drained = (await h.api(world.token, 'getUpdates')).body.result as Array<{
      update_id: number;
    }>;
    await h.api(world.token, 'getUpdates', { offset: (drained.at(-1)?.update_id ?? 0) + 1 });
    const held = h.api(world.token, 'getUpdates', { timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await h.api(world.token, 'setWebhook', { url: 'http://127.0.0.1:9/hook' });
    expect(await held).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description: 'Conflict: terminated by setWebhook request',
      },
    });
  });
});
