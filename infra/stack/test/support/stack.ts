// A whole Nezuko on real NATS/PostgreSQL/Redis for end-to-end tests: the Telegram
// emulator and the five services (and optionally the dashboard) as separate processes,
// isolated by namespace and database, plus a small Telegram world (a bot, an admin, a
// channel and a group where the bot is admin).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import { EmulatorControl, type TgUser } from '../../src/emulatorControl.ts';
import {
  dashboardSpec,
  emulatorSpec,
  repoRoot,
  serviceSpecs,
  type Ports,
  type Wiring,
} from '../../src/services.ts';
import { ensureDemoOwner } from '../../src/demo/demoOwner.ts';
import { deleteNamespaceStreams } from '../../src/namespaceStreams.ts';
import { setup } from '../../src/setup.ts';
import { Supervisor } from '../../src/supervisor.ts';

export interface World {
  bot: { id: number; token: string };
  admin: TgUser;
  channel: number;
  group: number;
}

export interface TestStack {
  readonly ports: Ports;
  readonly tg: EmulatorControl;
  readonly world: World;
  readonly readApi: string;
  readonly dashboardUrl: string;
  /** An owner account for signing in to the command API and the dashboard. */
  readonly owner: { email: string; password: string };
  readonly supervisor: Supervisor;
  readonly logDir: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function eventually<T>(
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
    if (Date.now() > until) {
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Builds the dashboard once per checkout (the build is what `npm start` serves). */
function ensureDashboardBuild(): void {
  if (existsSync(join(repoRoot, 'frontend/build/handler.js'))) return;
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: join(repoRoot, 'frontend'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the dashboard build failed');
}

export interface StackOptions {
  /** Also run the dashboard (built once per checkout). */
  dashboard?: boolean;
  /** Whether reads need a session; 'session' by default with the dashboard, else 'off'. */
  readApiAuth?: 'session' | 'off';
}

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const env = testEnv();
  const namespace = uniqueNamespace('e2e');
  const logDir = mkdtempSync(join(tmpdir(), 'nezuko-e2e-'));
  const supervisor = new Supervisor({ logDir, consoleLevel: 'none' });
  const database: TestDatabase = await createTestDatabase(env.databaseUrl);
  const ports: Ports = {
    dashboard: await freePort(),
    command: await freePort(),
    readApi: await freePort(),
    gateway: await freePort(),
    verification: await freePort(),
    projector: await freePort(),
    emulator: await freePort(),
  };
  const stop = async () => {
    await supervisor.stopAll();
    await database.drop();
    await deleteNamespaceStreams(env.natsUrl, namespace);
  };
  try {
    await setup(env.natsUrl, namespace);
    supervisor.start(emulatorSpec(ports.emulator));
    const apiRoot = `http://127.0.0.1:${ports.emulator}`;
    const tg = new EmulatorControl(apiRoot);
    await eventually('the emulator', async () => (await fetch(`${apiRoot}/control/bots`)).ok);
    const bot = await tg.createBot('GateE2EBot', 'Gate');
    const admin = await tg.createUser('Alice', 'alice_e2e');
    const channel = (
      await tg.createChat('channel', 'E2E News', { username: 'e2e_news', creatorId: admin.id })
    ).id;
    const group = (await tg.createChat('supergroup', 'E2E Group', { creatorId: admin.id })).id;
    await tg.makeAdmin(channel, bot.id);
    await tg.makeAdmin(group, bot.id);

    const wiring: Wiring = {
      ports,
      natsUrl: env.natsUrl,
      databaseUrl: database.url,
      redisUrl: env.redisUrl,
      namespace,
      botToken: bot.token,
      telegramApiRoot: apiRoot,
      adminApiToken: 'e2e-admin-token-0123456789abcdef',
      tokenKeys: `e2e:${randomBytes(32).toString('base64')}`,
      readApiAuth: options.readApiAuth ?? (options.dashboard ? 'session' : 'off'),
      logLevel: 'info',
    };
    const owner = await ensureDemoOwner(database.url);
    const specs = serviceSpecs(wiring);
    for (const spec of specs) supervisor.start(spec);
    await Promise.all(specs.map((spec) => supervisor.waitReady(spec.name, 120_000)));
    const dashboardUrl = `http://127.0.0.1:${ports.dashboard}`;
    if (options.dashboard) {
      ensureDashboardBuild();
      supervisor.start(dashboardSpec(wiring));
      await eventually(
        'the dashboard',
        async () => (await fetch(`${dashboardUrl}/healthz`)).ok,
        30_000,
      );
    }
    return {
      ports,
      tg,
      world: { bot, admin, channel, group },
      readApi: `http://127.0.0.1:${ports.readApi}`,
      dashboardUrl,
      owner,
      supervisor,
      logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Protects the world's group with its channel, as the admin would in Telegram. */
export async function protectGroup(stack: TestStack): Promise<void> {
  const { tg, world } = stack;
  await tg.say(world.group, world.admin.id, '/protect @e2e_news');
  await eventually('the bot to confirm protection', async () =>
    (await tg.messages(world.group)).find(
      (m) => m.sent_by_bot_id === world.bot.id && /@e2e_news/.test(m.text ?? ''),
    ),
  );
}
