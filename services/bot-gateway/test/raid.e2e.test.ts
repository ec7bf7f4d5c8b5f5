// A raid: 500 users join one group within 10 s. Verification (stood in for here by a
// subscriber that asks, for every stored join, to restrict the member and prompt them, as
// it does outside "under attack" mode) floods the bot's action queue. The gateway must mute
// every joiner, never exceed ~30 requests per second for the bot nor 20 messages per minute
// in the group (measured from the emulator's request log, with the emulator enforcing
// Telegram's limits), and keep the prompts it cannot send yet queued, not dropped.
import { jetstreamManager } from '@nats-io/jetstream';
import { create, TelegramActionSchema } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  startGateway,
  startNatsSpace,
  startTelegram,
  type NatsSpace,
  type RunningGateway,
  type Telegram,
} from './support/harness.ts';

const raiders = 500;
let tg: Telegram;
let space: NatsSpace;
let gateway: RunningGateway;

beforeAll(async () => {
  tg = await startTelegram();
  space = await startNatsSpace('raid');
});

afterAll(async () => {
  await gateway?.stop();
  await space?.close();
  await tg?.close();
});

interface LoggedCall {
  method: string;
  time: number;
  ok: boolean;
  error_code?: number;
  params?: { chat_id?: number };
}

/** The most calls in any window of `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= windowMs) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('a raid of 500 joiners', () => {
  it(
    'mutes every joiner within Telegram’s limits and queues the prompts',
    { timeout: 90_000 },
    async () => {
      const owner = await tg.control<{ id: number }>('POST', '/control/users', {
        first_name: 'Olga',
      });
      const bot = await tg.control<{ id: number; token: string }>('POST', '/control/bots', {
        username: 'raid_bot',
        first_name: 'Raid',
      });
      const group = await tg.control<{ id: number }>('POST', '/control/chats', {
        type: 'supergroup',
        title: 'Raided',
        creator_id: owner.id,
      });
      await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, {
        status: 'administrator',
      });
      const users: number[] = [];
      for (let i = 0; i < raiders; i += 25) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(25, raiders - i) }, (_, k) =>
            tg.control<{ id: number }>('POST', '/control/users', { first_name: `Raider ${i + k}` }),
          ),
        );
        users.push(...batch.map((u) => u.id));
      }
      // Telegram's limits, enforced by the emulator: anything beyond them is a 429.
      await tg.control('PUT', '/control/rate-limit', {
        requests_per_second: 30,
        messages_per_minute_per_chat: 20,
      });
      gateway = await startGateway(space, { apiRoot: tg.url, token: bot.token });

      // Verification's part: restrict and prompt each joiner once.
      const sub = space.nc.subscribe(space.names.subject(`nz.evt.chat.${group.id}.member_joined`));
      const requested = new Set<string>();
      const verifying = (async () => {
        const { decodeEvent } = await import('@nezuko/kit');
        for await (const msg of sub) {
          const { event } = decodeEvent(msg.headers, msg.data);
          if (event.type !== 'chat.member_joined') continue;
          const userId = event.event.user?.id ?? '0';
          if (requested.has(userId)) continue;
          requested.add(userId);
          for (const kind of [
            { case: 'restrict' as const, value: { userId } },
            { case: 'prompt' as const, value: { userId, text: 'Join @news, then press verify.' } },
          ]) {
            const actionId = `raid:${userId}:${kind.case}`;
            await space.bus.publishAction(
              create(TelegramActionSchema, {
                actionId,
                botId: String(bot.id),
                chatId: String(group.id),
                kind,
              }),
              { id: actionId },
            );
          }
        }
      })();

      const started = Date.now();
      for (let i = 0; i < raiders; i += 50) {
        await Promise.all(
          users
            .slice(i, i + 50)
            .map((id) => tg.control('POST', `/control/chats/${group.id}/join`, { user_id: id })),
        );
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      expect(Date.now() - started).toBeLessThan(10_000);

      const muted = await eventually(async () => {
        const chat = await tg.control<{ members: { user: { id: number }; status: string }[] }>(
          'GET',
          `/control/chats/${group.id}`,
        );
        const restricted = chat.members.filter((m) => m.status === 'restricted').length;
        expect(restricted).toBe(raiders);
        return restricted;
      }, 60_000);
      expect(muted).toBe(raiders);
      const mutedAfterMs = Date.now() - started;
      sub.unsubscribe();
      await verifying;

      const log = await tg.control<LoggedCall[]>('GET', `/control/requests?token=${bot.token}`);
      const sends = log.filter((c) => c.method === 'sendMessage' && c.ok);
      const rateLimited = log.filter((c) => c.error_code === 429);
      const perSecond = busiest(
        log.map((c) => c.time),
        1000,
      );
      const perMinuteInGroup = busiest(
        sends.map((c) => c.time),
        60_000,
      );
      console.log(
        `raid: ${raiders} muted after ${mutedAfterMs} ms; ${log.length} Bot API calls, busiest second ${perSecond}; ${sends.length} prompts sent so far, busiest minute ${perMinuteInGroup}; 429s ${rateLimited.length}`,
      );
      expect(rateLimited).toEqual([]);
      expect(perSecond).toBeLessThanOrEqual(30);
      expect(perMinuteInGroup).toBeLessThanOrEqual(20);
      expect(sends.length).toBeGreaterThan(0);

      // The prompts not sent yet wait in the bot's queue; none was dead-lettered.
      const jsm = await jetstreamManager(space.nc);
      const consumer = await jsm.consumers.info(
        space.names.stream('NZ_ACTIONS'),
        space.names.durable(`gateway-actions-${bot.id}`),
      );
      expect(consumer.num_pending + consumer.num_ack_pending).toBe(raiders - sends.length);
      const deadLetters = await jsm.streams.info(space.names.stream('NZ_DEADLETTER'));
      expect(deadLetters.state.messages).toBe(0);
    },
  );
});
