import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardWorld, startEmulator } from './support/harness.ts';
import type { Harness, World } from './support/harness.ts';

let h: Harness;
let world: World;

beforeEach(async () => {
  h = await startEmulator();
  world = await standardWorld(h);
});
afterEach(async () => {
  await h.close();
});

describe('fault injection', () => {
  it('fails the next calls of a method as told, then recovers', async () => {
    await h.control('POST', '/control/faults', {
      method: 'sendMessage',
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      retry_after: 7,
      times: 2,
    });
    const send = () => h.api(world.token, 'sendMessage', { chat_id: world.chatId, text: 'x' });
    const expected = {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    };
    expect(await send()).toEqual(expected);
    expect(await send()).toEqual(expected);
    expect((await send()).status).toBe(200);
  });

  it('applies a fault to one bot only when it names a token, and can be cleared', async () => {
    const other = await h.control<{ token: string }>('POST', '/control/bots', {
      username: 'other_bot',
      first_name: 'Other',
    });
    await h.control('POST', '/control/faults', {
      token: world.token,
      method: 'getMe',
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
      times: 5,
    });
    expect((await h.api(other.body.token, 'getMe')).status).toBe(200);
    expect((await h.api(world.token, 'getMe')).body).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await h.control('DELETE', '/control/faults');
    expect((await h.api(world.token, 'getMe')).status).toBe(200);
  });

  it('injects 5xx so clients can tell server trouble from refusals', async () => {
    await h.control('POST', '/control/faults', { method: 'getChat', error_code: 502 });
    const answer = await h.api(world.token, 'getChat', { chat_id: world.chatId });
    expect(answer).toEqual({
      status: 502,
      body: { ok: false, error_code: 502, description: 'Bad Gateway' },
    });
  });
});

describe('rate limiter', () => {
  it('is off by default', async () => {
    for (let i = 0; i < 40; i++) expect((await h.api(world.token, 'getMe')).status).toBe(200);
  });

  it('answers 429 with retry_after when a bot exceeds its requests per second', async () => {
    await h.control('PUT', '/control/rate-limit', { requests_per_second: 3 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await h.api(world.token, 'getMe'));
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[3]).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
    });
    await h.control('DELETE', '/control/rate-limit');
    expect((await h.api(world.token, 'getMe')).status).toBe(200);
  });

  it('limits messages per minute per chat', async () => {
    await h.control('PUT', '/control/rate-limit', { messages_per_minute_per_chat: 2 });
    const send = (chatId: number) =>
      h.api(world.token, 'sendMessage', { chat_id: chatId, text: 'x' });
    expect((await send(world.chatId)).status).toBe(200);
    expect((await send(world.chatId)).status).toBe(200);
    const limited = await send(world.chatId);
    expect(limited.status).toBe(429);
    expect(limited.body.parameters?.retry_after).toBeGreaterThan(50);
    expect((await h.api(world.token, 'getChat', { chat_id: world.chatId })).status).toBe(200);
  });
});

describe('request log', () => {
  it('records every Bot API call with its parameters and answer', async () => {
    const since = Date.now();
    await h.api(world.token, 'sendMessage', { chat_id: world.chatId, text: 'logged' });
    await h.api(world.token, 'getChat', { chat_id: 123 });
    const log = await h.control<
      Array<{
        method: string;
        params: Record<string, unknown>;
        status: number;
        description?: string;
      }>
    >('GET', `/control/requests?token=${encodeURIComponent(world.token)}&since=${since}`);
    expect(log.body.map((entry) => [entry.method, entry.status])).toEqual([
      ['sendMessage', 200],
      ['getChat', 400],
    ]);
    expect(log.body[0]?.params).toEqual({ chat_id: world.chatId, text: 'logged' });
    expect(log.body[1]?.description).toBe('Bad Request: chat not found');
    const filtered = await h.control<unknown[]>('GET', '/control/requests?method=getchat');
    expect(filtered.body).toHaveLength(1);
  });
});
