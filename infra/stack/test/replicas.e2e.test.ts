// Two gateway replicas (separate processes) share two bots registered with the operator
// CLI: each bot is polled by exactly one replica; SIGKILL the replica holding a bot and the
// other polls it within 15 s; no update is lost or stored twice while members keep writing;
// the token never appears in a log or in the event stream.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createEventBus, decodeEvent, naming } from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { BotStatus, type DomainEvent } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBot } from '../src/cli/bots.ts';
import { EmulatorControl } from '../src/emulatorControl.ts';
import { emulatorSpec, repoRoot } from '../src/services.ts';
import { deleteNamespaceStreams } from '../src/namespaceStreams.ts';
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

const env = testEnv();
const namespace = uniqueNamespace('e2erep');
const names = naming(namespace);
const keys = new Map([['e2e', randomBytes(32)]]);
const logDir = mkdtempSync(join(tmpdir(), 'nezuko-replicas-'));
const supervisor = new Supervisor({ logDir, consoleLevel: 'none' });
let nc: NatsConnection;
let tg: EmulatorControl;
let apiRoot: string;

interface Stored {
  id: string;
  event: DomainEvent;
  raw: Uint8Array;
}

/** Everything in this namespace's NZ_EVENTS, in order. */
async function storedEvents(): Promise<Stored[]> {
  const js = jetstream(nc);
  const consumer = await js.consumers.get(names.stream('NZ_EVENTS'));
  const out: Stored[] = [];
  const pending = (await consumer.info(true)).num_pending;
  if (pending === 0) return out;
  const messages = await consumer.fetch({ max_messages: pending, expires: 5000 });
  for await (const msg of messages) {
    const { envelope, event } = decodeEvent(msg.headers, msg.data);
    out.push({ id: envelope.id, event, raw: msg.data });
    if (out.length >= pending) break;
  }
  return out;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  const emulatorPort = await freePort();
  supervisor.start(emulatorSpec(emulatorPort));
  apiRoot = `http://127.0.0.1:${emulatorPort}`;
  tg = new EmulatorControl(apiRoot);
  await until(
    'the emulator',
    async () => (await fetch(`${apiRoot}/control/chats`)).status < 500 || undefined,
    20_000,
  );
  await setup(env.natsUrl, namespace);
  nc = await connect({ servers: env.natsUrl });
});

afterAll(async () => {
  await supervisor.stopAll();
  await nc.close();
  await deleteNamespaceStreams(env.natsUrl, namespace);
});

describe('two gateway replicas, two bots', () => {
  it('moves a killed replica’s bot to the other within 15 s, losing and duplicating nothing', async () => {
    const owner = await tg.createUser('Olga', 'olga');
    const writer = await tg.createUser('Walt', 'walt');
    const group = await tg.createChat('supergroup', 'Replicas', { creatorId: owner.id });
    await tg.join(group.id, writer.id);
    const bus = createEventBus(jetstream(nc), names);
    const bots: { botId: string; token: string }[] = [];
    for (const name of ['rep_one_bot', 'rep_two_bot']) {
      const bot = await tg.createBot(name, name);
      await tg.makeAdmin(group.id, bot.id);
      await registerBot(bus, keys, apiRoot, bot.token);
      bots.push({ botId: String(bot.id), token: bot.token });
    }

    const replicas = ['gateway-a', 'gateway-b'];
    for (const name of replicas) {
      const port = await freePort();
      supervisor.start({
        name,
        script: 'src/main.ts',
        cwd: `${repoRoot}services/bot-gateway`,
        env: {
          HTTP_PORT: String(port),
          HOST: '127.0.0.1',
          NATS_URL: env.natsUrl,
          NZ_NAMESPACE: namespace,
          LOG_LEVEL: 'debug',
          TELEGRAM_API_ROOT: apiRoot,
          NZ_TOKEN_KEYS: [...keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','),
          BOT_LEASE_SECONDS: '5',
          POLL_TIMEOUT_SECONDS: '2',
          HEARTBEAT_INTERVAL_MS: '1000',
        },
        readyPort: port,
      });
    }
    for (const name of replicas) await supervisor.waitReady(name);
    const pidOf = (name: string) => supervisor.running.get(name)?.child.pid;

    // Who runs what, from the latest RUNNING status per bot.
    const holders = async () => {
      const latest = new Map<string, string>();
      for (const { event } of await storedEvents())
        if (event.type === 'bot.status_changed')
          latest.set(
            event.event.botId,
            event.event.status === BotStatus.RUNNING ? event.event.replica : '',
          );
      return latest;
    };
    const initial = await until(
      'both bots running',
      async () => {
        const h = await holders();
        return bots.every((b) => h.get(b.botId)) ? h : undefined;
      },
      20_000,
    );

    // Members keep writing through the whole test.
    let sent = 0;
    let writing = true;
    const writingDone = (async () => {
      while (writing) {
        await tg.say(group.id, writer.id, `message ${sent}`);
        sent += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const victimBot = bots[0]!;
    const victimReplica = initial.get(victimBot.botId)!;
    const victim = replicas.find((name) => victimReplica.endsWith(`:${pidOf(name)}`))!;
    const survivor = replicas.find((name) => name !== victim)!;
    const survivorPid = pidOf(survivor);
    const killedAt = Date.now();
    await supervisor.kill(victim);
    await until(
      'the survivor running the killed replica’s bot',
      async () =>
        (await holders()).get(victimBot.botId)?.endsWith(`:${survivorPid}`) ? true : undefined,
      15_000,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(15_000);
    console.log(`takeover after SIGKILL: ${takeoverMs} ms`);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    writing = false;
    await writingDone;

    // Every message reaches each bot's facts exactly once.
    const facts = await until(
      'every message stored for both bots',
      async () => {
        const events = await storedEvents();
        const received = events.filter((e) => e.event.type === 'chat.message_received');
        return bots.every(
          (b) => received.filter((e) => e.id.startsWith(`tg:${b.botId}:`)).length >= sent,
        )
          ? events
          : undefined;
      },
      20_000,
    );
    const ids = facts.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const bot of bots) {
      const messageIds = facts
        .filter(
          (e) => e.event.type === 'chat.message_received' && e.id.startsWith(`tg:${bot.botId}:`),
        )
        .map((e) => (e.event.type === 'chat.message_received' ? e.event.event.messageId : ''));
      expect(messageIds).toHaveLength(sent);
      expect(new Set(messageIds).size).toBe(sent);
    }

    // The tokens were handled by the CLI and the gateways, yet are nowhere to be read.
    // Nezuko's logs; the emulator plays Telegram, which sees tokens in its URLs.
    const logs = readdirSync(logDir)
      .filter((f) => f.startsWith('gateway-'))
      .map((f) => readFileSync(join(logDir, f), 'utf8'))
      .join('\n');
    const stream = Buffer.concat(facts.map((e) => Buffer.from(e.raw))).toString('latin1');
    for (const bot of bots) {
      const secret = bot.token.split(':')[1]!;
      expect(logs).not.toContain(secret);
      expect(stream).not.toContain(secret);
    }
  });
});
