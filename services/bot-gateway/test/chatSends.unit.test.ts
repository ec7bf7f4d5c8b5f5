import { create, TelegramActionSchema } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { createChatSendSchedule } from '../src/telegram/chatSends.ts';

const prompt = (n: number, chatId = '-100') =>
  create(TelegramActionSchema, {
    actionId: `a${n}`,
    botId: '1',
    chatId,
    kind: { case: 'prompt', value: { userId: String(n), text: 'join' } },
  });
const restrict = (n: number) =>
  create(TelegramActionSchema, {
    actionId: `r${n}`,
    botId: '1',
    chatId: '-100',
    kind: { case: 'restrict', value: { userId: String(n) } },
  });

/** Runs a raid of sends through the schedule as the executor would and returns send times. */
function simulate(count: number, chats = ['-100']) {
  const schedule = createChatSendSchedule(20, 60_000);
  const queue = Array.from({ length: count }, (_, n) => ({
    action: prompt(n, chats[n % chats.length]),
    at: 0,
  }));
  const sentAt: { chat: string; at: number }[] = [];
  while (queue.length > 0) {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift()!;
    const wait = schedule.waitFor(next.action, next.at);
    if (wait > 0) queue.push({ action: next.action, at: next.at + wait });
    else {
      schedule.sent(next.action, next.at + 40); // the call itself takes a while
      sentAt.push({ chat: next.action.chatId, at: next.at + 40 });
    }
  }
  return sentAt;
}

describe('chat send schedule', () => {
  it('queues a raid of 100 prompts at 20 per minute per chat without dropping one', () => {
    const sent = simulate(100);
    expect(sent).toHaveLength(100);
    for (const { at } of sent) {
      expect(sent.filter((s) => s.at >= at && s.at < at + 60_000).length).toBeLessThanOrEqual(20);
    }
    expect(Math.max(...sent.map((s) => s.at))).toBeLessThan(5 * 60_000);
  });

  it('limits each chat on its own', () => {
    const sent = simulate(40, ['-100', '-200']);
    expect(sent.filter((s) => s.at < 1000)).toHaveLength(40);
  });

  it('a redelivered action keeps its slot; other kinds never wait', () => {
    const schedule = createChatSendSchedule(2, 60_000);
    expect(schedule.waitFor(prompt(1), 0)).toBe(0);
    expect(schedule.waitFor(prompt(2), 0)).toBe(0);
    expect(schedule.waitFor(prompt(3), 0)).toBe(60_000);
    expect(schedule.waitFor(prompt(3), 10_000)).toBe(50_000);
    expect(schedule.waitFor(restrict(1), 0)).toBe(0);
  });

  it('sends made late hold back the next ones', () => {
    const schedule = createChatSendSchedule(2, 60_000);
    schedule.waitFor(prompt(1), 0);
    schedule.waitFor(prompt(2), 0);
    schedule.sent(prompt(1), 5_000);
    schedule.sent(prompt(2), 5_000);
    expect(schedule.waitFor(prompt(3), 60_000)).toBe(5_000);
  });
});
