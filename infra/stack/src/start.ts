// `npm start`: the whole product on one machine. Finds (or starts) NATS, PostgreSQL and
// Redis, applies the setup step, then runs the five services and the dashboard as
// separate processes. Without BOT_TOKEN it runs the demo: the Telegram Bot API emulator,
// a demo bot, groups, channels and simulated members, so the dashboard is alive.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createDemo, type Demo } from './demo/demo.ts';
import { ensureDemoOwner, writeDemoLogin } from './demo/demoOwner.ts';
import { resetDemoNamespace } from './demo/reset.ts';
import { findLocalServices, MissingDependencyError, reachable } from './localServices.ts';
import { dashboardSpec, emulatorSpec, portsFromEnv, repoRoot, serviceSpecs } from './services.ts';
import { setup } from './setup.ts';
import { Supervisor } from './supervisor.ts';

const env = process.env;
const ports = portsFromEnv(env);
const logDir = join(tmpdir(), `nezuko-${ports.dashboard}`, 'logs');
// each start writes fresh logs
rmSync(logDir, { recursive: true, force: true });

function fail(message: string): never {
  process.stderr.write(`\nnezuko: ${message}\n`);
  process.exit(1);
}

async function waitForPort(port: number, what: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!(await reachable('127.0.0.1', port))) {
    if (Date.now() > until) fail(`${what} did not start on port ${port}; see ${logDir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function buildDashboardIfNeeded() {
  if (existsSync(join(repoRoot, 'frontend/build/handler.js')) && env.NEZUKO_REBUILD !== '1') return;
  console.log('building the dashboard (first start only)…');
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: join(repoRoot, 'frontend'),
    stdio: 'inherit',
  });
  if (result.status !== 0) fail('the dashboard build failed (see above)');
}

// Without a bot token: the demo, in its own namespace (and database), fresh each start.
const demoMode = !env.BOT_TOKEN;
const namespace = env.NZ_NAMESPACE ?? (demoMode ? 'demo' : '');

let local;
try {
  local = await findLocalServices(env, namespace);
} catch (error) {
  if (error instanceof MissingDependencyError) fail(error.message);
  throw error;
}
if (demoMode) {
  await resetDemoNamespace(local.natsUrl, namespace, local.databaseUrl).catch((error: Error) =>
    fail(`could not reset the demo namespace ${JSON.stringify(namespace)}: ${error.message}`),
  );
}
await setup(local.natsUrl, namespace, local.databaseUrl).catch((error: Error) =>
  fail(`setup failed: ${error.message}`),
);

let stopping = false;
const supervisor = new Supervisor({
  logDir,
  consoleLevel: env.NEZUKO_CONSOLE_LOG === 'info' ? 'info' : 'warn',
  onUnexpectedExit: (name, code) => {
    if (!stopping)
      process.stderr.write(
        `nezuko: ${name} exited with code ${code}; see ${join(logDir, `${name}.log`)}\n`,
      );
  },
});

let demo: Demo | undefined;
let botToken = env.BOT_TOKEN ?? '';
let telegramApiRoot = env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org';
if (demoMode) {
  supervisor.start(emulatorSpec(ports.emulator));
  await waitForPort(ports.emulator, 'the Telegram Bot API emulator');
  telegramApiRoot = `http://127.0.0.1:${ports.emulator}`;
  demo = await createDemo(telegramApiRoot);
  botToken = demo.botToken;
}

// The service token stays for automation (scripts, the e2e tests); people sign in.
const adminApiToken = env.ADMIN_API_TOKEN ?? randomBytes(24).toString('base64url');
// Keys that seal bot tokens added on the dashboard. Outside the demo they must persist
// across restarts, so they come from NZ_TOKEN_KEYS or adding bots stays off.
const tokenKeys =
  env.NZ_TOKEN_KEYS ?? (demoMode ? `demo:${randomBytes(32).toString('base64')}` : '');
const wiring = {
  ports,
  natsUrl: local.natsUrl,
  databaseUrl: local.databaseUrl,
  redisUrl: local.redisUrl,
  namespace,
  botToken,
  telegramApiRoot,
  adminApiToken,
  tokenKeys,
  // Reads need the dashboard session like in production; READ_API_AUTH=off opens them for
  // poking at the read API with curl in the demo only.
  readApiAuth: env.READ_API_AUTH === 'off' && demoMode ? ('off' as const) : ('session' as const),
  logLevel: env.LOG_LEVEL ?? 'info',
};

const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Nezuko…`);
  await demo?.stop();
  await supervisor.stopAll();
  for (const child of local.started) child.kill('SIGTERM');
  console.log('stopped.');
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

const specs = serviceSpecs(wiring);
for (const spec of specs) supervisor.start(spec);
try {
  await Promise.all(specs.map((spec) => supervisor.waitReady(spec.name)));
} catch (error) {
  await supervisor.stopAll();
  fail(`${(error as Error).message}\nlogs: ${logDir}`);
}

buildDashboardIfNeeded();
supervisor.start(dashboardSpec(wiring));
await waitForPort(ports.dashboard, 'the dashboard');

if (demo) {
  await demo.start().catch(async (error: Error) => {
    await supervisor.stopAll();
    fail(`the demo could not start: ${error.message}\nlogs: ${logDir}`);
  });
}

const login = demoMode
  ? await ensureDemoOwner(local.databaseUrl).catch(async (error: Error) => {
      await supervisor.stopAll();
      fail(`the demo login could not be created: ${error.message}`);
    })
  : undefined;

// `npm run screenshots` signs in with it; only this machine's user can read it. A demo in
// another namespace (the dashboard tour test) leaves the developer's file alone.
if (login && namespace === 'demo') writeDemoLogin(login);

const url = `http://localhost:${ports.dashboard}`;
console.log(`
  Nezuko is running${demo ? ' in demo mode (Telegram Bot API emulator + simulated members)' : ''}.

  Dashboard      ${url}
${
  login
    ? `  Login          ${login.email} / ${login.password}`
    : '  Login          create the first owner: npm run admin -- create --email you@example.com --role owner'
}
  Read API       http://127.0.0.1:${ports.readApi}/api/v1/dashboard/stats
  Logs           ${logDir}
${demo ? `  Emulator       ${telegramApiRoot}/control/requests\n` : ''}
  Ctrl-C stops everything.
`);
