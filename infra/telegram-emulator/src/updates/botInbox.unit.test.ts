import { afterEach, describe, expect, it, vi } from 'vitest';
import { BotInbox } from './botInbox.ts';
import { TelegramError } from '../errors.ts';
import type { PollRequest } from './botInbox.ts';

const webhookOptions = {
  timeoutMs: 1000,
  retryBaseMs: 10,
  retryMaxMs: 10,
  nowSeconds: () => 0,
  onReply: () => undefined,
};

const request = (fields: Partial<PollRequest> = {}): PollRequest => ({
  offset: 0,
  limit: 100,
  timeoutSeconds: 0,
  ...fields,
});
const neverAborted = new AbortController().signal;

describe('BotInbox', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('numbers updates upward and confirms everything before the offset', async () => {
    const inbox = new BotInbox(webhookOptions);
    inbox.deliver('message', { text: 'a' });
    inbox.deliver('message', { text: 'b' });
    inbox.deliver('message', { text: 'c' });
    const all = await inbox.poll(request(), neverAborted);
    expect(all.map((u) => u.update_id)).toEqual([1, 2, 3]);
    const rest = await inbox.poll(request({ offset: 3 }), neverAborted);
    expect(rest.map((u) => u.update_id)).toEqual([3]);
    expect(await inbox.poll(request({ offset: 1 }), neverAborted)).toHaveLength(1);
    expect(await inbox.poll(request({ offset: 4 }), neverAborted)).toEqual([]);
  });

  it('honours limit and a negative offset', async () => {
    const inbox = new BotInbox(webhookOptions);
    for (let i = 0; i < 5; i++) inbox.deliver('message', { i });
    expect(await inbox.poll(request({ limit: 2 }), neverAborted)).toHaveLength(2);
    const lastTwo = await inbox.poll(request({ offset: -2 }), neverAborted);
    expect(lastTwo.map((u) => u.update_id)).toEqual([4, 5]);
    expect(inbox.pendingCount).toBe(2);
  });

  it('drops update types the bot did not allow, and keeps the setting', async () => {
    const inbox = new BotInbox(webhookOptions);
    inbox.deliver('chat_member', { x: 1 });
    expect(inbox.pendingCount).toBe(0);
    await inbox.poll(request({ allowedUpdates: new Set(['chat_member']) }), neverAborted);
    await inbox.poll(request(), neverAborted);
    inbox.deliver('chat_member', { x: 2 });
    inbox.deliver('message', { x: 3 });
    const updates = await inbox.poll(request(), neverAborted);
    expect(updates).toEqual([{ update_id: 1, chat_member: { x: 2 } }]);
  });

  it('holds a poll until an update arrives', async () => {
    vi.useFakeTimers();
    const inbox = new BotInbox(webhookOptions);
    const held = inbox.poll(request({ timeoutSeconds: 30 }), neverAborted);
    let settled = false;
    void held.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(settled).toBe(false);
    inbox.deliver('message', { text: 'now' });
    expect(await held).toEqual([{ update_id: 1, message: { text: 'now' } }]);
  });

  it('answers an empty list when the timeout elapses', async () => {
    vi.useFakeTimers();
    const inbox = new BotInbox(webhookOptions);
    const held = inbox.poll(request({ timeoutSeconds: 2 }), neverAborted);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await held).toEqual([]);
  });

  it('terminates the older poll with 409 when a second one arrives', async () => {
    const inbox = new BotInbox(webhookOptions);
    const first = inbox.poll(request({ timeoutSeconds: 30 }), neverAborted);
    const second = inbox.poll(request({ timeoutSeconds: 30 }), neverAborted);
    await expect(first).rejects.toMatchObject({
      errorCode: 409,
      description: expect.stringContaining('terminated by other getUpdates') as string,
    });
    inbox.deliver('message', {});
    expect(await second).toHaveLength(1);
  });

  it('refuses getUpdates while a webhook is set', async () => {
    const inbox = new BotInbox(webhookOptions);
    await inbox.setWebhook(
      { url: 'http://127.0.0.1:9/hook', maxConnections: 40 },
      false,
      undefined,
    );
    await expect(inbox.poll(request(), neverAborted)).rejects.toBeInstanceOf(TelegramError);
    expect(await inbox.deleteWebhook(true)).toBe('Webhook was deleted');
    expect(await inbox.deleteWebhook(false)).toBe('Webhook is already deleted');
    expect(await inbox.poll(request(), neverAborted)).toEqual([]);
  });

  it('forgets a poll whose client went away', async () => {
    const inbox = new BotInbox(webhookOptions);
    const gone = new AbortController();
    const held = inbox.poll(request({ timeoutSeconds: 30 }), gone.signal);
    gone.abort();
    expect(await held).toEqual([]);
    const next = inbox.poll(request({ timeoutSeconds: 30 }), neverAborted);
    inbox.deliver('message', {});
    expect(await next).toHaveLength(1);
  });
});
