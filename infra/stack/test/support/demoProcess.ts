// `npm start` itself, as a user runs it, for the dashboard tour: the demo (emulator,
// simulated members, the five services, the dashboard) in its own namespace and database
// on free ports, with the login read from what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { EmulatorControl } from '../../src/emulatorControl.ts';
import { databaseName } from '../../src/localServices.ts';
import { deleteNamespaceStreams } from '../../src/namespaceStreams.ts';
import { repoRoot } from '../../src/services.ts';
import { freePort } from './stack.ts';

export interface DemoProcess {
  readonly dashboardUrl: string;
  readonly login: { email: string; password: string };
  readonly tg: EmulatorControl;
  readonly emulatorUrl: string;
  /** What `npm start` printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const portNames = [
  'DASHBOARD_PORT',
  'COMMAND_PORT',
  'READ_API_PORT',
  'GATEWAY_PORT',
  'VERIFICATION_PORT',
  'PROJECTOR_PORT',
  'EMULATOR_PORT',
] as const;

/**
 * Starts the demo on free ports. A free port is only free when it is picked: another test
 * running in parallel can take it before the demo listens, and the tour would then talk
 * to that test's server. So the dashboard must answer as the demo's does (an anonymous
 * visit goes to /login) or the demo is started again on other ports.
 */
export async function startDemo(timeoutMs = 150_000): Promise<DemoProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const demo = await startDemoOnce(timeoutMs);
    const response = await fetch(demo.dashboardUrl, { redirect: 'manual' }).catch(() => null);
    const location = new URL(response?.headers.get('location') ?? '/', demo.dashboardUrl);
    if (location.pathname === '/login' || attempt === 3) return demo;
    await demo.stop();
  }
}

async function startDemoOnce(timeoutMs: number): Promise<DemoProcess> {
  const env = testEnv();
  const namespace = uniqueNamespace('tour')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase();
  const ports: Record<string, string> = {};
  for (const name of portNames) ports[name] = String(await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [join(repoRoot, 'infra/stack/src/start.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...ports,
        NZ_NAMESPACE: namespace,
        NATS_URL: env.natsUrl,
        REDIS_URL: env.redisUrl,
        // the demo resets its database: always its own, never one from the environment
        DATABASE_URL: new URL(`/${databaseName(namespace)}`, env.databaseUrl).toString(),
        BOT_TOKEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const cleanup = async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await deleteNamespaceStreams(env.natsUrl, namespace);
    const admin = new pg.Client({
      connectionString: new URL('/postgres', env.databaseUrl).toString(),
    });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName(namespace)}" WITH (FORCE)`);
    await admin.end();
  };

  const until = Date.now() + timeoutMs;
  const printedLogin = () => /Login\s+(\S+@\S+) \/ (\S+)/.exec(output);
  let login: RegExpMatchArray | null;
  while (!(login = printedLogin())) {
    if (child.exitCode !== null || Date.now() > until) {
      await cleanup();
      throw new Error(`npm start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const emulatorUrl = `http://127.0.0.1:${ports['EMULATOR_PORT']}`;
  return {
    dashboardUrl: `http://127.0.0.1:${ports['DASHBOARD_PORT']}`,
    login: { email: login[1] ?? '', password: login[2] ?? '' },
    tg: new EmulatorControl(emulatorUrl),
    emulatorUrl,
    output: () => output,
    stop: cleanup,
  };
}
