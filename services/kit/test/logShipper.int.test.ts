// The log shipper against a real NATS: records land in NZ_LOGS under their service and
// level, redacted exactly like stdout, and a NATS outage never holds up logging. The
// outage is a TCP relay in front of the shared server that the test cuts and restores.
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyTopology,
  baseConfigSchema,
  createLogger,
  createLogShipper,
  naming,
  parseConfig,
  startRuntime,
} from '../src/index.ts';
import { testEnv, uniqueNamespace } from '../src/testing/index.ts';

const names = naming(uniqueNamespace('logship'));
const token = `123456789:${'A'.repeat(35)}`;
let direct: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  direct = await connect({ servers: testEnv().natsUrl });
  jsm = await jetstreamManager(direct);
  await applyTopology(jsm, names);
});

afterAll(async () => {
  for (const s of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
    await jsm.streams.delete(names.stream(s)).catch(() => undefined);
  }
  await direct.close();
});

/** Every NZ_LOGS record of `service`, oldest first, as [subject, parsed body]. */
async function shipped(service: string): Promise<[string, Record<string, unknown>][]> {
  const stream = names.stream('NZ_LOGS');
  const info = await jsm.streams.info(stream);
  const out: [string, Record<string, unknown>][] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (msg && msg.subject.startsWith(names.subject(`nz.log.${service}.`)))
      out.push([names.local(msg.subject), msg.json<Record<string, unknown>>()]);
  }
  return out;
}

async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const discard = () =>
  new Writable({
    write: (_chunk, _enc, callback) => callback(),
  });

/** A relay to the real NATS that can be cut (connections dropped, port closed) and restored. */
async function natsRelay() {
  const target = new URL(testEnv().natsUrl.replace(/^nats:/, 'http:'));
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = tcpConnect(Number(target.port || 4222), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', resolve);
    });
  await open();
  return {
    url: `nats://127.0.0.1:${port}`,
    open,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (server) server.close(() => resolve());
        else resolve();
        server = null;
      }),
  };
}

describe('log shipping to NZ_LOGS', () => {
  it('publishes each record under nz.log.<service>.<level>, redacted, from the minimum level up', async () => {
    const nc = await connect({ servers: testEnv().natsUrl });
    const shipper = createLogShipper({ service: 'kit-ship', lingerMs: 20 });
    const logger = createLogger('kit-ship', 'debug', discard(), {
      level: 'info',
      destination: shipper.destination,
    });
    shipper.attach({ nc, js: jetstream(nc), names });

    logger.debug('below the stream level');
    logger.info({ botToken: 'plain-secret', chat: 42 }, `token ${token} in a message`);
    logger.error({ err: new Error(`failed with ${token}`) }, 'it broke');

    const records = await waitFor(
      () => shipped('kit-ship'),
      (r) => r.length >= 2,
    );
    expect(records.map(([subject]) => subject)).toEqual([
      'nz.log.kit-ship.info',
      'nz.log.kit-ship.error',
    ]);
    const [[, info], [, error]] = records as [
      [string, Record<string, unknown>],
      [string, Record<string, unknown>],
    ];
    expect(info).toMatchObject({ level: 'info', service: 'kit-ship', chat: 42 });
    expect(info.botToken).toBe('[redacted]');
    expect(info.msg).toBe('token [redacted-bot-token] in a message');
    expect(JSON.stringify(error)).not.toContain(token);
    expect(JSON.stringify(records)).not.toContain('plain-secret');
    expect(shipper.stats()).toMatchObject({ published: 2, dropped: 0 });
    shipper.stop();
    await nc.close();
  });

  it('keeps logging at full speed while NATS is away, drops the oldest, and catches up after', async () => {
    const relay = await natsRelay();
    const nc = await connect({
      servers: relay.url,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 200,
    });
    const shipper = createLogShipper({ service: 'kit-outage', capacity: 100, lingerMs: 20 });
    const logger = createLogger('kit-outage', 'info', discard(), {
      level: 'info',
      destination: shipper.destination,
    });
    shipper.attach({ nc, js: jetstream(nc), names });
    logger.info('before the outage');
    await waitFor(
      () => shipped('kit-outage'),
      (r) => r.length === 1,
    );

    await relay.cut();
    // The client notices the cut connection before the storm starts.
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) logger.info({ i }, 'during the outage');
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(5000);
    expect(shipper.stats().buffered).toBe(100);
    expect(shipper.stats().dropped).toBeGreaterThanOrEqual(19_900);

    // Still away a second later: nothing got through, the newest records wait.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await shipped('kit-outage')).toHaveLength(1);
    expect(shipper.stats()).toMatchObject({ published: 1, buffered: 100 });

    await relay.open();
    const records = await waitFor(
      () => shipped('kit-outage'),
      (r) => r.some(([, body]) => body.i === 19_999),
      20_000,
    );
    // Only the newest records survived the outage.
    const during = records.filter(([, body]) => body.msg === 'during the outage');
    expect(during.length).toBeLessThanOrEqual(100);
    expect(Math.min(...during.map(([, body]) => Number(body.i)))).toBeGreaterThanOrEqual(19_800);
    shipper.stop();
    await nc.close();
    await relay.cut();
  }, 40_000);

  it('is wired by startRuntime: LOG_STREAM_LEVEL picks what ships, close() flushes it', async () => {
    const config = parseConfig(baseConfigSchema, {
      NATS_URL: testEnv().natsUrl,
      NZ_NAMESPACE: names.namespace,
      LOG_LEVEL: 'silent',
      LOG_STREAM_LEVEL: 'warn',
    });
    const runtime = await startRuntime('kit-runtime', config);
    runtime.logger.info('not shipped at warn');
    runtime.logger.warn({ password: 'hunter2' }, 'shipped at warn');
    await runtime.close();
    const records = await shipped('kit-runtime');
    expect(records.map(([subject, body]) => [subject, body.msg, body.password])).toEqual([
      ['nz.log.kit-runtime.warn', 'shipped at warn', '[redacted]'],
    ]);
  });
});
