// Integration-test support: the Telegram Bot API emulator on an ephemeral port, an
// isolated NATS namespace with the topology applied, a log of the events stored in it,
// and the gateway app wired the way main.ts wires it. Exported as
// `@nezuko/bot-gateway/testing` so other services' tests can run a real gateway.
import { hostname } from 'node:os';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  applyTopology,
  createEventBus,
  createLogger,
  decodeEvent,
  naming,
  type EventBus,
  type Logger,
  type Naming,
} from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import {
  kvBuckets,
  type DomainEvent,
  type Envelope,
  type EventOf,
  type EventType,
} from '@nezuko/proto';
import { createEmulator } from '@nezuko/telegram-emulator';
import { metrics } from '@opentelemetry/api';
import { createKeyring, type Keyring } from '@nezuko/kit';
import { randomBytes } from 'node:crypto';
import { createGatewayApp, type GatewayApp } from '../../src/app.ts';
import type { BotIdentity } from '../../src/updates/translate.ts';

/** One key for a whole test run, so every gateway of the run opens every registration. */
export const testKeyring: Keyring = createKeyring(new Map([['test', randomBytes(32)]]));

export const quietLogger: Logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');

export interface Telegram {
  readonly url: string;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startTelegram(): Promise<Telegram> {
  const emulator = createEmulator();
  const url = await emulator.listen({ port: 0 });
  return {
    url,
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const answer = (await response.json()) as T;
      if (!response.ok)
        throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    close: () => emulator.close(),
  };
}

export interface StoredEvent {
  readonly envelope: Envelope;
  readonly event: DomainEvent;
}

export interface NatsSpace {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly bus: EventBus;
  /** Every event stored in this namespace, in stream order. */
  readonly events: StoredEvent[];
  waitForEvent<T extends EventType>(
    type: T,
    match?: (event: EventOf<T>, envelope: Envelope) => boolean,
    timeoutMs?: number,
  ): Promise<{ envelope: Envelope; event: EventOf<T> }>;
  eventsOf<T extends EventType>(
    type: T,
    match?: (event: EventOf<T>, envelope: Envelope) => boolean,
  ): EventOf<T>[];
  close(): Promise<void>;
}

/** A fresh namespace on the test NATS with every stream and static consumer in place. */
export async function startNatsSpace(label: string): Promise<NatsSpace> {
  const nc = await connect({ servers: testEnv().natsUrl });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const names = naming(uniqueNamespace(label));
  await applyTopology(jsm, names);
  const events: StoredEvent[] = [];
  const consumer = await js.consumers.get(names.stream('NZ_EVENTS'), {
    filter_subjects: names.subject('nz.evt.>'),
  });
  const messages = await consumer.consume();
  const following = (async () => {
    for await (const msg of messages) events.push(decodeEvent(msg.headers, msg.data));
  })();

  const matching = <T extends EventType>(
    type: T,
    match?: (event: EventOf<T>, envelope: Envelope) => boolean,
  ) =>
    events.filter(
      (e) => e.event.type === type && (!match || match(e.event.event as EventOf<T>, e.envelope)),
    ) as unknown as { envelope: Envelope; event: { event: EventOf<T> } }[];

  return {
    nc,
    js,
    jsm,
    names,
    bus: createEventBus(js, names),
    events,
    async waitForEvent(type, match, timeoutMs = 10_000) {
      const found = await eventually(() => {
        const hit = matching(type, match)[0];
        if (!hit)
          throw new Error(
            `no ${type} event yet; stored so far: ${events.map((e) => e.envelope.type).join(', ')}`,
          );
        return hit;
      }, timeoutMs);
      return { envelope: found.envelope, event: found.event.event };
    },
    eventsOf: (type, match) => matching(type, match).map((e) => e.event.event),
    async close() {
      await messages.close().catch(() => undefined);
      await following.catch(() => undefined);
      for (const stream of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
        await jsm.streams.delete(names.stream(stream)).catch(() => undefined);
      }
      for (const bucket of kvBuckets)
        await jsm.streams.delete(`KV_${names.durable(bucket.name)}`).catch(() => undefined);
      await nc.close();
    },
  };
}

export interface RunningGateway {
  readonly app: GatewayApp;
  readonly bot: BotIdentity;
  stop(): Promise<void>;
}

/**
 * A gateway as main.ts builds it, running the env bot `token` (if given) and every bot
 * registered in the namespace; `bus` can be swapped to inject failures.
 */
export async function startGateway(
  space: NatsSpace,
  options: {
    apiRoot: string;
    token?: string;
    bus?: EventBus;
    heartbeatMs?: number;
    leaseSeconds?: number;
    replica?: string;
    webhookBaseUrl?: string;
  },
): Promise<RunningGateway> {
  const app = createGatewayApp({
    config: {
      ...(options.token ? { BOT_TOKEN: options.token } : {}),
      TELEGRAM_API_ROOT: options.apiRoot,
      HEARTBEAT_INTERVAL_MS: options.heartbeatMs ?? 30_000,
      TELEGRAM_RATE_PER_SECOND: 30,
      TELEGRAM_RATE_MARGIN_MS: 100,
      POLL_TIMEOUT_SECONDS: 5,
      BOT_LEASE_SECONDS: options.leaseSeconds ?? 10,
      ...(options.webhookBaseUrl ? { WEBHOOK_BASE_URL: options.webhookBaseUrl } : {}),
    },
    keyring: testKeyring,
    nc: space.nc,
    js: space.js,
    jsm: space.jsm,
    names: space.names,
    bus: options.bus ?? space.bus,
    logger: quietLogger,
    meter: metrics.getMeter('bot-gateway-test'),
    replica: options.replica ?? `${hostname()}:test`,
  });
  const bot = await app.start();
  return {
    app,
    bot: bot ?? { botId: '0', username: '' },
    stop: () => app.stop(),
  };
}

/** Retries `check` until it stops throwing or the time is up. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
