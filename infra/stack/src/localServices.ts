// Finds NATS, PostgreSQL and Redis for `npm start`: the URLs from the environment, else
// the standard local ports when something answers, else a local server started from PATH
// (nats-server, redis-server). PostgreSQL has no such fallback: the message says what to do.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

async function waitUntilReachable(host: string, port: number, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!(await reachable(host, port))) {
    if (Date.now() > until) throw new Error(`${what} did not start listening on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface LocalServices {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Servers this launcher started (stopped with it). */
  readonly started: ChildProcess[];
}

export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';
}

/**
 * The database of an installation: `nezuko`, or `nezuko_<namespace>` so that installations
 * sharing one PostgreSQL (like they share one NATS) never mix read models and checkpoints.
 */
export function databaseName(namespace: string): string {
  return namespace === '' ? 'nezuko' : `nezuko_${namespace.replace(/-/g, '_').toLowerCase()}`;
}

export async function findLocalServices(
  env: NodeJS.ProcessEnv,
  namespace: string,
): Promise<LocalServices> {
  const started: ChildProcess[] = [];
  let natsUrl = env.NATS_URL;
  if (!natsUrl) {
    natsUrl = 'nats://127.0.0.1:4222';
    if (!(await reachable('127.0.0.1', 4222))) {
      if (!onPath('nats-server')) {
        throw new MissingDependencyError(
          'NATS with JetStream is not reachable at 127.0.0.1:4222 and `nats-server` is not on PATH.\n' +
            'Install it (Debian: apt-get install nats-server) or set NATS_URL.',
        );
      }
      const dir = mkdtempSync(join(tmpdir(), 'nezuko-nats-'));
      started.push(
        spawn('nats-server', ['-a', '127.0.0.1', '-p', '4222', '-js', '-sd', dir], {
          stdio: 'ignore',
        }),
      );
      await waitUntilReachable('127.0.0.1', 4222, 'nats-server');
    }
  }
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    redisUrl = 'redis://127.0.0.1:6379';
    if (!(await reachable('127.0.0.1', 6379))) {
      if (!onPath('redis-server')) {
        throw new MissingDependencyError(
          'Redis is not reachable at 127.0.0.1:6379 and `redis-server` is not on PATH.\n' +
            'Install it (Debian: apt-get install redis-server) or set REDIS_URL.',
        );
      }
      started.push(
        spawn(
          'redis-server',
          ['--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
          {
            stdio: 'ignore',
          },
        ),
      );
      await waitUntilReachable('127.0.0.1', 6379, 'redis-server');
    }
  }
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    if (!(await reachable('127.0.0.1', 5432))) {
      throw new MissingDependencyError(
        'PostgreSQL is not reachable at 127.0.0.1:5432.\n' +
          'Install and start it (Debian: apt-get install postgresql) or set DATABASE_URL.',
      );
    }
    databaseUrl = `postgres://postgres@127.0.0.1:5432/${databaseName(namespace)}`;
  }
  return { natsUrl, databaseUrl, redisUrl, started };
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/i.test(name))
    throw new Error(`unsupported database name ${JSON.stringify(name)}`);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
