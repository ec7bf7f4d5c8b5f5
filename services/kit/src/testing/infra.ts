// Real NATS, PostgreSQL and Redis for tests: the URLs in NATS_URL / DATABASE_URL /
// REDIS_URL when set, else the standard local ports when something answers there, else
// containers started with testcontainers (machines with Docker). Never a mock.
import { connect as tcpConnect } from 'node:net';

export interface TestInfra {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
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

type Stopper = () => Promise<void>;

async function resolveService(
  envName: string,
  localPort: number,
  localUrl: string,
  container: () => Promise<{ url: string; stop: Stopper }>,
  stoppers: Stopper[],
): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (await reachable('127.0.0.1', localPort)) return localUrl;
  const started = await container();
  stoppers.push(started.stop);
  return started.url;
}

export async function startTestInfra(): Promise<TestInfra> {
  const stoppers: Stopper[] = [];
  const natsUrl = await resolveService(
    'NATS_URL',
    4222,
    'nats://127.0.0.1:4222',
    async () => {
      const { GenericContainer, Wait } = await import('testcontainers');
      const c = await new GenericContainer('nats:2.9')
        .withCommand(['-js'])
        .withExposedPorts(4222)
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
        .start();
      return {
        url: `nats://${c.getHost()}:${c.getMappedPort(4222)}`,
        stop: async () => void (await c.stop()),
      };
    },
    stoppers,
  );
  const databaseUrl = await resolveService(
    'DATABASE_URL',
    5432,
    'postgres://postgres@127.0.0.1:5432/postgres',
    async () => {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const c = await new PostgreSqlContainer('postgres:16-alpine').start();
      return { url: c.getConnectionUri(), stop: async () => void (await c.stop()) };
    },
    stoppers,
  );
  const redisUrl = await resolveService(
    'REDIS_URL',
    6379,
    'redis://127.0.0.1:6379',
    async () => {
      const { RedisContainer } = await import('@testcontainers/redis');
      const c = await new RedisContainer('redis:7-alpine').start();
      return { url: c.getConnectionUrl(), stop: async () => void (await c.stop()) };
    },
    stoppers,
  );
  return {
    natsUrl,
    databaseUrl,
    redisUrl,
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
    },
  };
}
