// Integration test support: an emulator on an ephemeral port, typed helpers for the Bot
// API and the control API over real HTTP, a standard world, and polling assertions.

import { createEmulator } from '../../src/index.ts';
import type { Emulator, EmulatorOptions } from '../../src/index.ts';

export interface ApiAnswer {
  status: number;
  body: {
    ok: boolean;
    result?: unknown;
    error_code?: number;
    description?: string;
    parameters?: Record<string, number>;
  };
}

export interface Harness {
  emulator: Emulator;
  url: string;
  api(token: string, method: string, params?: Record<string, unknown>): Promise<ApiAnswer>;
  control<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = createEmulator(options);
  const url = await emulator.listen({ port: 0 });
  return {
    emulator,
    url,
    async api(token, method, params = {}) {
      const response = await fetch(`${url}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      return { status: response.status, body: (await response.json()) as ApiAnswer['body'] };
    },
    async control<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    close: () => emulator.close(),
  };
}

export interface World {
  token: string;
  botId: number;
  ownerId: number;
  aliceId: number;
  chatId: number;
}

/** A supergroup owned by a person, with the bot as an administrator (all default rights) and Alice as a member. */
export async function standardWorld(
  h: Harness,
  botRights?: Record<string, boolean>,
): Promise<World> {
  const bot = await h.control<{ id: number; token: string }>('POST', '/control/bots', {
    username: 'gate_bot',
    first_name: 'Gate',
  });
  const owner = await h.control<{ id: number }>('POST', '/control/users', { first_name: 'Owner' });
  const alice = await h.control<{ id: number }>('POST', '/control/users', {
    first_name: 'Alice',
    username: 'alice',
  });
  const chat = await h.control<{ id: number }>('POST', '/control/chats', {
    type: 'supergroup',
    title: 'Protected group',
    creator_id: owner.body.id,
  });
  await h.control('PUT', `/control/chats/${chat.body.id}/members/${bot.body.id}`, {
    status: 'administrator',
    ...(botRights ? { rights: botRights } : {}),
  });
  await h.control('POST', `/control/chats/${chat.body.id}/join`, { user_id: alice.body.id });
  return {
    token: bot.body.token,
    botId: bot.body.id,
    ownerId: owner.body.id,
    aliceId: alice.body.id,
    chatId: chat.body.id,
  };
}

/** Retries `check` until it stops throwing or the time is up. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
