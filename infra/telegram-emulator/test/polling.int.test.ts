import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardWorld, startEmulator } from './support/harness.ts';
import type { Harness, World } from './support/harness.ts';

let h: Harness;
let world: World;

type Update = { update_id: number } & Record<
  string,
  { text?: string; new_chat_member?: { status: string } }
>;

beforeEach(async () => {
  h = await startEmulator();
  world = await standardWorld(h);
  const setup = await h.api(world.token, 'getUpdates');
  const last = (setup.body.result as Update[]).at(-1);
  if (last) await h.api(world.token, 'getUpdates', { offset: last.update_id + 1 });
});
afterEach(async () => {
  await h.close();
});

const say = (text: string) =>
  h.control('POST', `/control/chats/${world.chatId}/messages`, { user_id: world.aliceId, text });

describe('long polling', () => {
  it('holds getUpdates and answers as soon as an update arrives', async () => {
    const startedAt = Date.now();
    const held = h.api(world.token, 'getUpdates', { timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await say('hello');
    const answer = await held;
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect((answer.body.result as Update[]).map((u) => u.message?.text)).toEqual(['hello']);
  });

  it('answers an empty list once the timeout elapses', async () => {
    const startedAt = Date.now();
    const answer = await h.api(world.token, 'getUpdates', { timeout: 1 });
    expect(answer.body).toEqual({ ok: true, result: [] });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
  });

  it('keeps updates until confirmed by offset, then drops them', async () => {
    await say('one');
    await say('two');
    const first = (await h.api(world.token, 'getUpdates')).body.result as Update[];
    expect(first.map((u) => u.message?.text)).toEqual(['one', 'two']);
    const again = (await h.api(world.token, 'getUpdates')).body.result as Update[];
    expect(again.map((u) => u.update_id)).toEqual(first.map((u) => u.update_id));
    const second = first[1]?.update_id ?? 0;
    const rest = (await h.api(world.token, 'getUpdates', { offset: second })).body
      .result as Update[];
    expect(rest.map((u) => u.message?.text)).toEqual(['two']);
    expect((await h.api(world.token, 'getUpdates', { offset: second + 1 })).body.result).toEqual(
      [],
    );
    expect((await h.api(world.token, 'getUpdates')).body.result).toEqual([]);
  });

  it('terminates the older of two concurrent getUpdates with 409', async () => {
    const older = h.api(world.token, 'getUpdates', { timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const newer = h.api(world.token, 'getUpdates', { timeout: 30 });
    expect(await older).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    await say('for the newer');
    expect(((await newer).body.result as Update[])[0]?.message?.text).toBe('for the newer');
  });

  it('refuses getUpdates with 409 while a webhook is set', async () => {
    await h.api(world.token, 'setWebhook', { url: 'http://127.0.0.1:9/never' });
    const answer = await h.api(world.token, 'getUpdates');
    expect(answer).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      },
    });
    await h.api(world.token, 'deleteWebhook');
    expect((await h.api(world.token, 'getUpdates')).status).toBe(200);
  });

  it('delivers chat_member only after the bot asks for it, and remembers allowed_updates', async () => {
    const join = (username: string) =>
      h
        .control<{ id: number }>('POST', '/control/users', { first_name: username, username })
        .then((user) =>
          h.control('POST', `/control/chats/${world.chatId}/join`, { user_id: user.body.id }),
        );
    await join('before');
    const byDefault = (await h.api(world.token, 'getUpdates')).body.result as Update[];
    expect(byDefault.map((u) => Object.keys(u)[1])).toEqual(['message']);
    await h.api(world.token, 'getUpdates', {
      offset: (byDefault.at(-1)?.update_id ?? 0) + 1,
      allowed_updates: ['message', 'chat_member'],
    });
    await join('after');
    const afterAsking = (await h.api(world.token, 'getUpdates')).body.result as Update[];
    expect(afterAsking.map((u) => Object.keys(u)[1])).toEqual(['chat_member', 'message']);
    expect(afterAsking[0]?.chat_member?.new_chat_member?.status).toBe('member');
  });

  it('ends a held poll when the client goes away, without a conflict for the next one', async () => {
    const gone = new AbortController();
    const abandoned = fetch(`${h.url}/bot${world.token}/getUpdates?timeout=30`, {
      signal: gone.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    gone.abort();
    await expect(abandoned).rejects.toThrow();
    const next = h.api(world.token, 'getUpdates', { timeout: 30 });
    await say('still here');
    expect((await next).status).toBe(200);
  });
});
