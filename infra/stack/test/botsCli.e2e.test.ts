// The operator CLI as an operator runs it: a process reading the token from stdin,
// verifying it with getMe, appending bot.registered with the token sealed; refusing a bad
// token or missing keys with a clear message; disable/enable/delete as lifecycle events.
// The token never appears in its output.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createKeyring, decodeEvent, naming } from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { BotLifecycle, type DomainEvent } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorControl } from '../src/emulatorControl.ts';
import { emulatorSpec, repoRoot } from '../src/services.ts';
import { deleteNamespaceStreams } from '../src/namespaceStreams.ts';
import { setup } from '../src/setup.ts';
import { Supervisor } from '../src/supervisor.ts';

const env = testEnv();
const namespace = uniqueNamespace('cli');
const names = naming(namespace);
const key = randomBytes(32);
const keys = `ops:${key.toString('base64')}`;
const supervisor = new Supervisor({
  logDir: mkdtempSync(join(tmpdir(), 'nezuko-cli-')),
  consoleLevel: 'none',
});
let nc: NatsConnection;
let apiRoot: string;
let tg: EmulatorControl;

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

function cli(args: string[], stdin: string, extraEnv: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [`${repoRoot}infra/stack/src/cli/bots.ts`, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NATS_URL: env.natsUrl,
        NZ_NAMESPACE: namespace,
        TELEGRAM_API_ROOT: apiRoot,
        ...extraEnv,
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.end(stdin);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function events(): Promise<DomainEvent[]> {
  const consumer = await jetstream(nc).consumers.get(names.stream('NZ_EVENTS'));
  const pending = (await consumer.info(true)).num_pending;
  const out: DomainEvent[] = [];
  if (pending === 0) return out;
  for await (const msg of await consumer.fetch({ max_messages: pending, expires: 5000 })) {
    out.push(decodeEvent(msg.headers, msg.data).event);
    if (out.length >= pending) break;
  }
  return out;
}

beforeAll(async () => {
  const port = await freePort();
  supervisor.start(emulatorSpec(port));
  apiRoot = `http://127.0.0.1:${port}`;
  tg = new EmulatorControl(apiRoot);
  for (let i = 0; ; i += 1) {
    try {
      await fetch(`${apiRoot}/control/requests`);
      break;
    } catch (error) {
      if (i > 80) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  await setup(env.natsUrl, namespace);
  nc = await connect({ servers: env.natsUrl });
});

afterAll(async () => {
  await supervisor.stopAll();
  await nc.close();
  await deleteNamespaceStreams(env.natsUrl, namespace);
});

describe('nezuko bots CLI', () => {
  it('registers a bot from a token on stdin, sealed, and manages its lifecycle', async () => {
    const bot = await tg.createBot('cli_bot', 'Cli');
    const secret = bot.token.split(':')[1]!;

    const registered = await cli(['register'], `${bot.token}\n`, { NZ_TOKEN_KEYS: keys });
    expect(registered).toMatchObject({ code: 0 });
    expect(registered.out).toContain(`registered @cli_bot (${bot.id})`);
    expect(registered.out).not.toContain(secret);
    const [registration] = (await events()).filter((e) => e.type === 'bot.registered');
    if (registration?.type !== 'bot.registered') throw new Error('no registration stored');
    expect(registration.event.token?.keyId).toBe('ops');
    const keyring = createKeyring(new Map([['ops', key]]));
    expect(keyring.open(registration.event.token!)).toBe(bot.token);

    for (const command of ['disable', 'enable', 'delete'])
      expect((await cli([command, String(bot.id), 'by', 'test'], '')).code).toBe(0);
    const lifecycles = (await events()).flatMap((e) =>
      e.type === 'bot.lifecycle_changed' ? [e.event.lifecycle] : [],
    );
    expect(lifecycles).toEqual([BotLifecycle.DISABLED, BotLifecycle.ENABLED, BotLifecycle.DELETED]);

    // Registering it again, now with its own webhook URL.
    const again = await cli(['register', '--webhook', 'https://gw.example.org'], bot.token, {
      NZ_TOKEN_KEYS: keys,
    });
    expect(again.code).toBe(0);
    const latest = (await events()).filter((e) => e.type === 'bot.registered').at(-1);
    expect(latest?.type === 'bot.registered' && latest.event.webhookBaseUrl).toBe(
      'https://gw.example.org',
    );
  });

  it('refuses a token Telegram refuses, and registering without keys, saying why', async () => {
    const bot = await tg.createBot('cli_bad_bot', 'Bad');
    const wrong = `${bot.id}:${'x'.repeat(35)}`;
    const refused = await cli(['register'], wrong, { NZ_TOKEN_KEYS: keys });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/Telegram refused the token: Unauthorized/);
    expect(refused.out).not.toContain('x'.repeat(35));

    const noKeys = await cli(['register'], bot.token);
    expect(noKeys.code).toBe(1);
    expect(noKeys.out).toMatch(/NZ_TOKEN_KEYS must be set/);
    expect((await events()).filter((e) => e.type === 'bot.registered')).toHaveLength(2);
  });
});
