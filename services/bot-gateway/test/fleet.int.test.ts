// Bots come and go by events: a gateway started with no bot runs a bot as soon as it is
// registered, stops it when disabled or deleted, and two replicas never run one bot at
// the same time; a replica that stops hands its bots to the other at once.
import {
  ActorSchema,
  BotLifecycle,
  BotLifecycleChangedSchema,
  BotStatus,
  create,
} from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, openLeaseBucket } from '@nezuko/kit';
import { kvBuckets } from '@nezuko/proto';
import { registrationOf } from '../src/bots/tokens.ts';
import {
  eventually,
  startGateway,
  startNatsSpace,
  startTelegram,
  testKeyring,
  type NatsSpace,
  type Telegram,
} from './support/harness.ts';

let tg: Telegram;
let space: NatsSpace;

beforeAll(async () => {
  tg = await startTelegram();
  space = await startNatsSpace('fleet');
});

afterAll(async () => {
  await space?.close();
  await tg?.close();
});

const cli = create(ActorSchema, { who: { case: 'system', value: 'cli' } });

async function newBot(username: string) {
  const bot = await tg.control<{ id: number; token: string }>('POST', '/control/bots', {
    username,
    first_name: username,
  });
  return { botId: String(bot.id), token: bot.token, username };
}

async function register(bot: { botId: string; token: string; username: string }) {
  const { event, id } = registrationOf(
    { botId: bot.botId, username: bot.username, firstName: bot.username },
    bot.token,
    testKeyring,
    cli,
  );
  await space.bus.publish('bot.registered', event, { id });
}

async function setLifecycle(botId: string, lifecycle: BotLifecycle, n: number) {
  await space.bus.publish(
    'bot.lifecycle_changed',
    create(BotLifecycleChangedSchema, { botId, lifecycle, changedBy: cli }),
    { id: `test:${botId}:lifecycle:${n}` },
  );
}

const polls = async (token: string, sinceMs: number) =>
  (
    await tg.control<{ method: string; time: number }[]>(
      'GET',
      `/control/requests?token=${token}&method=getUpdates&since=${sinceMs}`,
    )
  ).length;

describe('bots registered by events', () => {
  it('starts a registered bot without restart, stops it when disabled, runs it again when enabled', async () => {
    const gateway = await startGateway(space, { apiRoot: tg.url, replica: 'replica-a' });
    try {
      expect(gateway.app.running()).toEqual([]);
      const bot = await newBot('fleet_one_bot');
      await register(bot);
      await eventually(() => expect(gateway.app.running()).toEqual([bot.botId]));
      const running = await space.waitForEvent(
        'bot.status_changed',
        (e) => e.botId === bot.botId && e.status === BotStatus.RUNNING,
      );
      expect(running.event.replica).toBe('replica-a');
      // Every Bot API call is recorded, without the token.
      const call = await space.waitForEvent(
        'bot.api_called',
        (e) => e.botId === bot.botId && e.method === 'getMe',
      );
      expect(call.event).toMatchObject({ ok: true, chatId: '0', replica: 'replica-a' });
      await space.waitForEvent(
        'bot.api_called',
        (e) => e.botId === bot.botId && e.method === 'getUpdates',
      );

      await setLifecycle(bot.botId, BotLifecycle.DISABLED, 1);
      await eventually(() => expect(gateway.app.running()).toEqual([]));
      await space.waitForEvent(
        'bot.status_changed',
        (e) => e.botId === bot.botId && e.status === BotStatus.STOPPED,
      );
      const stoppedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await polls(bot.token, stoppedAt + 100)).toBe(0);

      await setLifecycle(bot.botId, BotLifecycle.ENABLED, 2);
      await eventually(() => expect(gateway.app.running()).toEqual([bot.botId]));
      await setLifecycle(bot.botId, BotLifecycle.DELETED, 3);
      await eventually(() => expect(gateway.app.running()).toEqual([]));
      // Registering a deleted bot again brings it back.
      await register(bot);
      await eventually(() => expect(gateway.app.running()).toEqual([bot.botId]));
      await setLifecycle(bot.botId, BotLifecycle.DELETED, 4);
      await eventually(() => expect(gateway.app.running()).toEqual([]));
    } finally {
      await gateway.stop();
    }
  });

  it('one replica runs each bot; a stopping replica hands its bots over at once', async () => {
    const first = await newBot('fleet_two_bot');
    const second = await newBot('fleet_three_bot');
    await register(first);
    await register(second);
    const a = await startGateway(space, { apiRoot: tg.url, replica: 'replica-a', leaseSeconds: 2 });
    const b = await startGateway(space, { apiRoot: tg.url, replica: 'replica-b', leaseSeconds: 2 });
    try {
      const both = [first.botId, second.botId].sort();
      await eventually(() => expect([...a.app.running(), ...b.app.running()].sort()).toEqual(both));
      // Held, not shared: for two lease periods no bot runs on both replicas.
      for (let i = 0; i < 20; i += 1) {
        const onA = a.app.running();
        expect(b.app.running().filter((id) => onA.includes(id))).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const handedOver = Date.now();
      await a.stop();
      await eventually(() => expect(b.app.running().sort()).toEqual(both), 5000);
      expect(Date.now() - handedOver).toBeLessThan(3000);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('reports a bot whose token Telegram refuses as ERROR and does not retry it', async () => {
    const bot = await newBot('fleet_revoked_bot');
    await register({ ...bot, token: `${bot.botId}:${'r'.repeat(35)}` });
    const gateway = await startGateway(space, { apiRoot: tg.url, replica: 'replica-d' });
    try {
      const error = await space.waitForEvent(
        'bot.status_changed',
        (e) => e.botId === bot.botId && e.status === BotStatus.ERROR,
      );
      expect(error.event.reason).toMatch(/Telegram refused getMe \(401/);
      expect(error.event.reason).not.toContain('r'.repeat(35));
      expect(gateway.app.running()).not.toContain(bot.botId);
    } finally {
      await gateway.stop();
    }
  });

  it('a replica whose lease was taken over stops the bot without reporting it stopped', async () => {
    const bot = await newBot('fleet_taken_bot');
    await register(bot);
    const gateway = await startGateway(space, {
      apiRoot: tg.url,
      replica: 'replica-e',
      leaseSeconds: 2,
    });
    try {
      await eventually(() => expect(gateway.app.running()).toContain(bot.botId));
      // Another replica took the lease over (as after this one was paused for too long).
      const kv = await openLeaseBucket(space.js, bucketName(kvBuckets[0]!, space.names));
      await kv.put(`bot.${bot.botId}`, new TextEncoder().encode('replica-z'));
      await eventually(() => expect(gateway.app.running()).not.toContain(bot.botId), 1500);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(
        space.eventsOf(
          'bot.status_changed',
          (e) => e.botId === bot.botId && e.status === BotStatus.STOPPED,
        ),
      ).toEqual([]);
      await setLifecycle(bot.botId, BotLifecycle.DELETED, 5);
    } finally {
      await gateway.stop();
    }
  });

  it('puts a bot registered with its own webhook URL in webhook mode', async () => {
    const bot = await newBot('fleet_hooked_bot');
    const { event, id } = registrationOf(
      { botId: bot.botId, username: bot.username, firstName: bot.username },
      bot.token,
      testKeyring,
      cli,
    );
    event.webhookBaseUrl = 'http://127.0.0.1:9/gateway';
    await space.bus.publish('bot.registered', event, { id });
    const gateway = await startGateway(space, { apiRoot: tg.url, replica: 'replica-f' });
    try {
      await eventually(() => expect(gateway.app.running()).toContain(bot.botId));
      const set = await tg.control<{ params: { url?: string } }[]>(
        'GET',
        `/control/requests?token=${bot.token}&method=setWebhook`,
      );
      expect(set.map((c) => c.params.url)).toEqual([
        `http://127.0.0.1:9/gateway/telegram/webhook/${bot.botId}`,
      ]);
      expect(await polls(bot.token, 0)).toBe(0);
      await setLifecycle(bot.botId, BotLifecycle.DELETED, 6);
    } finally {
      await gateway.stop();
    }
  });

  it('does not run a bot whose token it cannot open', async () => {
    const bot = await newBot('fleet_foreign_bot');
    const { createKeyring } = await import('@nezuko/kit');
    const { randomBytes } = await import('node:crypto');
    const foreign = createKeyring(new Map([['other', randomBytes(32)]]));
    const { event, id } = registrationOf(
      { botId: bot.botId, username: bot.username, firstName: bot.username },
      bot.token,
      foreign,
      cli,
    );
    await space.bus.publish('bot.registered', event, { id });
    const gateway = await startGateway(space, { apiRoot: tg.url, replica: 'replica-c' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(gateway.app.running()).not.toContain(bot.botId);
    } finally {
      await gateway.stop();
    }
  });
});
