// The write side across real processes: an owner created by the CLI's code signs in to the
// command API, the read API refuses reads without that session and serves them with it,
// the admin adds a bot by its token (the gateway starts polling it without a restart),
// a group is protected in Telegram, and the admin bans a member through the command queue
// and sees it succeed. The bot's token appears in no log line and in no event in clear.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { decodeEvent, naming } from '@nezuko/kit';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import { CommandStatus } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/cli/admin.ts';
import { EmulatorControl, type TgUser } from '../src/emulatorControl.ts';
import { emulatorSpec, serviceSpecs, type Ports } from '../src/services.ts';
import { setup } from '../src/setup.ts';
import { Supervisor } from '../src/supervisor.ts';
import { eventually, freePort } from './support/stack.ts';

const logDir = mkdtempSync(join(tmpdir(), 'nezuko-e2e-cmd-'));
const supervisor = new Supervisor({ logDir, consoleLevel: 'none' });
const namespace = uniqueNamespace('e2ecmd');
const password = 'an owner password for e2e';
let database: TestDatabase;
let ports: Ports;
let tg: EmulatorControl;
let origin: string;
const world = {} as {
  bot: { id: number; token: string };
  admin: TgUser;
  member: TgUser;
  channel: number;
  group: number;
};

beforeAll(async () => {
  const env = testEnv();
  database = await createTestDatabase(env.databaseUrl, 'nz_e2ecmd');
  ports = {
    dashboard: await freePort(),
    command: await freePort(),
    readApi: await freePort(),
    gateway: await freePort(),
    verification: await freePort(),
    projector: await freePort(),
    emulator: await freePort(),
  };
  origin = `http://localhost:${ports.dashboard}`;
  await setup(env.natsUrl, namespace, database.url);
  supervisor.start(emulatorSpec(ports.emulator));
  const apiRoot = `http://127.0.0.1:${ports.emulator}`;
  tg = new EmulatorControl(apiRoot);
  await eventually('the emulator', async () => (await fetch(`${apiRoot}/control/bots`)).ok);
  world.bot = await tg.createBot('AddedByApiBot', 'Gate');
  world.admin = await tg.createUser('Alice', 'alice_cmd');
  world.member = await tg.createUser('Mallory', 'mallory_cmd');
  world.channel = (
    await tg.createChat('channel', 'Cmd News', { username: 'cmd_news', creatorId: world.admin.id })
  ).id;
  world.group = (await tg.createChat('supergroup', 'Cmd Group', { creatorId: world.admin.id })).id;
  await tg.makeAdmin(world.channel, world.bot.id);
  await tg.makeAdmin(world.group, world.bot.id);
  await tg.join(world.group, world.member.id);

  const specs = serviceSpecs({
    ports,
    natsUrl: env.natsUrl,
    databaseUrl: database.url,
    redisUrl: env.redisUrl,
    namespace,
    botToken: '', // no env bot: the admin adds it through the API
    telegramApiRoot: apiRoot,
    adminApiToken: 'e2e-service-token-0123456789abcdef',
    tokenKeys: `e2e:${Buffer.alloc(32, 9).toString('base64')}`,
    readApiAuth: 'session',
    logLevel: 'info',
  });
  for (const spec of specs) supervisor.start(spec);
  await Promise.all(specs.map((spec) => supervisor.waitReady(spec.name, 60_000)));
  await createAdmin(
    { email: 'owner@e2e.example', role: 'owner', password },
    { databaseUrl: database.url, natsUrl: env.natsUrl, namespace },
  );
});

afterAll(async () => {
  await supervisor.stopAll();
  await database.drop();
});

const command = (path: string) => `http://127.0.0.1:${ports.command}/api/v1${path}`;
let cookie = '';

async function send(method: string, path: string, body?: unknown) {
  return fetch(command(path), {
    method,
    headers: {
      cookie,
      origin,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function lastEvent(subject: string) {
  const nc = await connect({ servers: testEnv().natsUrl });
  try {
    const names = naming(namespace);
    const msg = await (
      await jetstreamManager(nc)
    ).streams.getMessage(names.stream('NZ_EVENTS'), { last_by_subj: names.subject(subject) });
    return msg ? decodeEvent(msg.header, msg.data).event : undefined;
  } finally {
    await nc.close();
  }
}

describe('an admin runs a group through the command API', () => {
  it('signs in; the read API needs that session', async () => {
    const stats = `http://127.0.0.1:${ports.readApi}/api/v1/dashboard/stats`;
    expect((await fetch(stats)).status).toBe(401);
    const login = await fetch(command('/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: 'owner@e2e.example', password }),
    });
    expect(login.status).toBe(200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^nz_session=/);
    expect((await fetch(stats, { headers: { cookie } })).status).toBe(200);
  });

  it('adds a bot by its token, and a gateway starts polling it', async () => {
    const res = await send('POST', '/bots', { token: world.bot.token });
    expect(res.status).toBe(201);
    const body = await res.text();
    expect(body).not.toContain(world.bot.token.split(':')[1]);
    await eventually(
      'the gateway to poll the new bot',
      async () => {
        const log = await fetch(
          `${tg.root}/control/requests?token=${encodeURIComponent(world.bot.token)}&method=getUpdates`,
        );
        const entries = (await log.json()) as unknown[];
        return entries.length > 0;
      },
      30_000,
    );
  });

  it('protects a group in Telegram, then bans a member with ban_user and sees it succeed', async () => {
    await tg.say(world.group, world.admin.id, '/protect @cmd_news');
    await eventually(
      'the group to be linked to the channel',
      async () =>
        (await lastEvent(`nz.evt.group.${world.group}.channel_linked`))?.type ===
        'group.channel_linked',
    );
    const res = await send('POST', '/commands', {
      type: 'ban_user',
      group_id: String(world.group),
      user_id: String(world.member.id),
    });
    expect(res.status).toBe(202);
    const { command_id: commandId, bot_id: botId } = (await res.json()) as {
      command_id: string;
      bot_id: string;
    };
    expect(botId).toBe(String(world.bot.id));
    const settled = await eventually(
      'the command to settle',
      async () => {
        const event = await lastEvent(`nz.evt.command.${commandId}.status_changed`);
        return event?.type === 'command.status_changed' &&
          event.event.status !== CommandStatus.RUNNING
          ? event.event
          : undefined;
      },
      45_000,
    );
    expect(settled.status).toBe(CommandStatus.SUCCEEDED);
    expect(await tg.statusOf(world.group, world.member.id)).toBe('kicked');
  });

  it('lifts the ban, syncs titles and counts, re-verifies, then leaves the group', async () => {
    const issue = async (body: Record<string, string>) => {
      const res = await send('POST', '/commands', { group_id: String(world.group), ...body });
      expect(res.status).toBe(202);
      const { command_id: commandId } = (await res.json()) as { command_id: string };
      const settled = await eventually(
        `${body['type']} to settle`,
        async () => {
          const event = await lastEvent(`nz.evt.command.${commandId}.status_changed`);
          return event?.type === 'command.status_changed' &&
            event.event.status !== CommandStatus.RUNNING
            ? event.event
            : undefined;
        },
        30_000,
      );
      expect(settled).toMatchObject({ status: CommandStatus.SUCCEEDED });
      return { commandId, settled };
    };
    await issue({ type: 'unban_user', user_id: String(world.member.id) });
    expect(await tg.statusOf(world.group, world.member.id)).toBe('left');

    await issue({ type: 'sync_members' });
    const synced = await lastEvent(`nz.evt.group.${world.group}.synced`);
    expect(synced?.type === 'group.synced' && synced.event).toMatchObject({
      memberCount: expect.any(Number) as number,
      channels: [{ error: '', subscriberCount: expect.any(Number) as number }],
    });

    const reverified = await issue({ type: 'reverify_group' });
    expect(reverified.settled.description).toMatch(/re-checked/);

    await issue({ type: 'leave_group' });
    expect(await tg.statusOf(world.group, world.bot.id)).toBe('left');
    expect((await lastEvent(`nz.evt.group.${world.group}.bot_left`))?.type).toBe('group.bot_left');
  });

  it('never wrote the bot token to a log line or an event in clear', async () => {
    const secret = world.bot.token.split(':')[1] ?? world.bot.token;
    // The emulator is Telegram's stand-in: the token is in its request URLs by design.
    const ours = readdirSync(logDir).filter((file) => file !== 'telegram-emulator.log');
    expect(ours).toContain('command.log');
    for (const file of ours) expect(readFileSync(join(logDir, file), 'utf8')).not.toContain(secret);
    const nc = await connect({ servers: testEnv().natsUrl });
    const jsm = await jetstreamManager(nc);
    const stream = naming(namespace).stream('NZ_EVENTS');
    const info = await jsm.streams.info(stream);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq });
      if (msg) expect(Buffer.from(msg.data).toString('latin1')).not.toContain(secret);
    }
    await nc.close();
  });
});
