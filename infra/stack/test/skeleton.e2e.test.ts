// The whole story across real processes: the five services and the Telegram emulator run
// as separate processes on real NATS, PostgreSQL and Redis. An admin protects a group, a
// newcomer is muted with a prompt, joins the channel, presses verify and is unmuted; the
// read model counts each decision once and a dashboard WebSocket receives it live.
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import { EmulatorControl, type TgUser } from '../src/emulatorControl.ts';
import { emulatorSpec, serviceSpecs, type Ports } from '../src/services.ts';
import { setup } from '../src/setup.ts';
import { Supervisor } from '../src/supervisor.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface ActivityItem {
  seq: number;
  user_id: string;
  outcome: string;
  trigger: string;
}

const logDir = mkdtempSync(join(tmpdir(), 'nezuko-e2e-'));
const supervisor = new Supervisor({ logDir, consoleLevel: 'none' });
let database: TestDatabase;
let ports: Ports;
let tg: EmulatorControl;
let readApi: string;
const pushed: { type: string; item?: ActivityItem }[] = [];
let socket: WebSocket;
const world = {} as {
  bot: { id: number; token: string };
  admin: TgUser;
  channel: number;
  group: number;
};

beforeAll(async () => {
  const env = testEnv();
  const namespace = uniqueNamespace('e2e');
  database = await createTestDatabase(env.databaseUrl);
  ports = {
    dashboard: await freePort(),
    command: await freePort(),
    readApi: await freePort(),
    gateway: await freePort(),
    verification: await freePort(),
    projector: await freePort(),
    emulator: await freePort(),
  };
  await setup(env.natsUrl, namespace);
  supervisor.start(emulatorSpec(ports.emulator));
  const apiRoot = `http://127.0.0.1:${ports.emulator}`;
  tg = new EmulatorControl(apiRoot);
  await eventually('the emulator', async () => (await fetch(`${apiRoot}/control/bots`)).ok);
  world.bot = await tg.createBot('GateE2EBot', 'Gate');
  world.admin = await tg.createUser('Alice', 'alice_e2e');
  world.channel = (
    await tg.createChat('channel', 'E2E News', { username: 'e2e_news', creatorId: world.admin.id })
  ).id;
  world.group = (await tg.createChat('supergroup', 'E2E Group', { creatorId: world.admin.id })).id;
  await tg.makeAdmin(world.channel, world.bot.id);
  await tg.makeAdmin(world.group, world.bot.id);

  const specs = serviceSpecs({
    ports,
    natsUrl: env.natsUrl,
    databaseUrl: database.url,
    redisUrl: env.redisUrl,
    namespace,
    botToken: world.bot.token,
    telegramApiRoot: apiRoot,
    adminApiToken: 'e2e-admin-token-0123456789abcdef',
    logLevel: 'info',
  });
  for (const spec of specs) supervisor.start(spec);
  await Promise.all(specs.map((spec) => supervisor.waitReady(spec.name, 60_000)));
  readApi = `http://127.0.0.1:${ports.readApi}`;

  socket = new WebSocket(`ws://127.0.0.1:${ports.readApi}/ws`);
  socket.addEventListener('message', (event) =>
    pushed.push(JSON.parse(String(event.data)) as (typeof pushed)[number]),
  );
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('WebSocket did not open')));
  });
  socket.send(JSON.stringify({ type: 'subscribe', topics: ['activity'] }));
});

afterAll(async () => {
  socket?.close();
  await supervisor.stopAll();
  await database?.drop();
});

describe('walking skeleton, end to end across processes', () => {
  it('mutes a newcomer until they join the channel and press verify, and counts it once', async () => {
    await tg.say(world.group, world.admin.id, '/protect @e2e_news');
    await eventually('the bot to confirm protection', async () =>
      (await tg.messages(world.group)).find(
        (m) => m.sent_by_bot_id === world.bot.id && /@e2e_news/.test(m.text ?? ''),
      ),
    );

    const bob = await tg.createUser('Bob', 'bob_e2e');
    await tg.join(world.group, bob.id);
    const prompt = await eventually('a prompt for Bob', () => tg.promptFor(world.group, bob.id));
    expect(await tg.statusOf(world.group, bob.id)).toBe('restricted');
    const buttons = prompt.reply_markup?.inline_keyboard.flat() ?? [];
    expect(buttons.some((b) => b.url?.includes('e2e_news'))).toBe(true);
    expect(buttons.some((b) => b.callback_data === `nz:v:${bob.id}`)).toBe(true);

    await tg.join(world.channel, bob.id);
    const press = await tg.press(world.group, bob.id, prompt.message_id, `nz:v:${bob.id}`);
    await eventually(
      'Bob unmuted',
      async () => (await tg.statusOf(world.group, bob.id)) === 'member',
    );
    await eventually(
      'the prompt deleted',
      async () => (await tg.promptFor(world.group, bob.id)) === undefined,
    );
    const answer = await tg.callback(press.callback_query_id);
    expect(answer.answered).toBe(true);

    const bobsItems = (items: ActivityItem[]) => items.filter((i) => i.user_id === String(bob.id));
    const activity = await eventually('both decisions in the read model', async () => {
      const res = await fetch(`${readApi}/api/v1/dashboard/activity?limit=100`);
      const body = (await res.json()) as { items: ActivityItem[] };
      const mine = bobsItems(body.items);
      return mine.some((i) => i.outcome === 'verified') ? mine : undefined;
    });
    expect(activity.filter((i) => i.outcome === 'restricted' && i.trigger === 'join')).toHaveLength(
      1,
    );
    expect(
      activity.filter((i) => i.outcome === 'verified' && i.trigger === 'verify_button'),
    ).toHaveLength(1);

    const stats = (await (await fetch(`${readApi}/api/v1/dashboard/stats`)).json()) as Record<
      string,
      number
    >;
    expect(stats.total_groups).toBe(1);
    expect(stats.total_channels).toBe(1);
    expect(stats.verifications_today).toBe(activity.length);

    const live = await eventually('the verification pushed over the WebSocket', () =>
      Promise.resolve(
        pushed.find(
          (m) =>
            m.type === 'verification' &&
            m.item?.user_id === String(bob.id) &&
            m.item.outcome === 'verified',
        ),
      ),
    );
    expect(live.item?.trigger).toBe('verify_button');
  });
});
