// Builds the command app against real NATS (an isolated namespace), a real Postgres test
// database with owner, admin and viewer accounts, and the Telegram Bot API emulator; reads
// what it appended back from the NZ_EVENTS stream.
import { randomInt } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  applyTopology,
  createEventBus,
  createKeyring,
  createLogger,
  decodeEvent,
  naming,
  natsReady,
  publishGlobalSettings,
  type Keyring,
  type Naming,
  type Probes,
} from '@nezuko/kit';
import {
  createTestDatabase,
  testEnv,
  uniqueNamespace,
  type TestDatabase,
} from '@nezuko/kit/testing';
import { kvBuckets, type DomainEvent, type Envelope } from '@nezuko/proto';
import { createSessionVerifier, type Role } from '@nezuko/sessions';
import { createEmulator, type Emulator } from '@nezuko/telegram-emulator';
import { metrics, type Meter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { insertAdmin } from '../src/accounts/admins.ts';
import { createCommandDb, migrateCommandDb, type CommandDb } from '../src/accounts/db.ts';
import { createLoginThrottle } from '../src/accounts/loginThrottle.ts';
import { hashPassword } from '../src/accounts/passwords.ts';
import { buildApp } from '../src/app.ts';
import { sessionAuthenticator } from '../src/auth.ts';
import { jetStreamEventStore } from '../src/eventStore.ts';
import { apiRoutes, type LoginPolicy } from '../src/routes/index.ts';
import { telegramBotIdentity } from '../src/telegram.ts';

export const serviceToken = 'test-service-token-0123456789abcdef';
export const serviceEmail = 'automation@example.com';
export const allowedOrigin = 'http://localhost:3000';
export const fixedNow = new Date('2025-01-02T03:04:05.000Z');
export const password = 'correct horse battery staple';

export const accounts: Record<Role, string> = {
  owner: 'owner@example.com',
  admin: 'admin@example.com',
  viewer: 'viewer@example.com',
};

export interface Harness {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly store: CommandDb;
  readonly database: TestDatabase;
  readonly emulator: Emulator;
  readonly telegramUrl: string;
  readonly keyring: Keyring;
  /** Deletes the namespace's streams, the database, and stops the emulator. */
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const env = testEnv();
  const nc = await connect({ servers: env.natsUrl });
  const jsm = await jetstreamManager(nc);
  const names = naming(uniqueNamespace('cmd'));
  await applyTopology(jsm, names);
  const database = await createTestDatabase(env.databaseUrl, 'nz_cmd');
  const store = createCommandDb(database.url);
  await migrateCommandDb(store.db);
  const hash = await hashPassword(password);
  for (const [role, email] of Object.entries(accounts) as [Role, string][])
    await insertAdmin(store.db, { email, role, passwordHash: hash });
  const emulator = createEmulator();
  const telegramUrl = await emulator.listen({ port: 0, host: '127.0.0.1' });
  const keyring = createKeyring(new Map([['k1', Buffer.alloc(32, 7)]]));
  return {
    nc,
    jsm,
    names,
    store,
    database,
    emulator,
    telegramUrl,
    keyring,
    async close() {
      for (const stream of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
        await jsm.streams.delete(names.stream(stream)).catch(() => undefined);
      }
      for (const bucket of kvBuckets)
        await jsm.streams.delete(`KV_${names.durable(bucket.name)}`).catch(() => undefined);
      await nc.close();
      await store.close();
      await database.drop();
      await emulator.close();
    },
  };
}

export interface AppOptions {
  readonly nc?: NatsConnection;
  readonly logLines?: string[];
  readonly meter?: Meter;
  readonly serveMetrics?: Probes['serveMetrics'];
  readonly loginPolicy?: Partial<LoginPolicy>;
  readonly ipLimit?: number;
  readonly clock?: () => Date;
  readonly telegramLoginBotToken?: string;
}

export function appFor(
  harness: Harness,
  options: AppOptions = {},
): { app: FastifyInstance; probes: Probes } {
  const nc = options.nc ?? harness.nc;
  const lines = options.logLines;
  const logger = createLogger(
    'command',
    lines ? 'info' : 'silent',
    lines ? { write: (line: string) => void lines.push(line) } : undefined,
  );
  const probes: Probes = {
    checks: { nats: natsReady(nc) },
    serveMetrics: options.serveMetrics ?? ((_req, res) => res.end()),
  };
  const routes = apiRoutes({
    db: harness.store.db,
    loginThrottle: createLoginThrottle(harness.store.db, options.ipLimit ?? 1000, 15 * 60_000),
    loginPolicy: { maxFailures: 5, lockMinutes: 15, sessionTtlHours: 12, ...options.loginPolicy },
    telegram: telegramBotIdentity(harness.telegramUrl),
    keyring: harness.keyring,
    events: jetStreamEventStore(harness.jsm, harness.names),
    publishSettings: (settings) => publishGlobalSettings(jetstream(nc), harness.names, settings),
    allowInsecureWebhooks: true,
    ...(options.telegramLoginBotToken
      ? { telegramLoginBotToken: options.telegramLoginBotToken }
      : {}),
  });
  const app = buildApp({
    bus: createEventBus(jetstream(nc), harness.names),
    logger,
    meter: options.meter ?? metrics.getMeter('command-test'),
    probes,
    clock: options.clock ?? (() => new Date()),
    authenticate: sessionAuthenticator(createSessionVerifier(harness.store.pool), {
      token: serviceToken,
      actorEmail: serviceEmail,
    }),
    allowedOrigins: [allowedOrigin, 'http://127.0.0.1:3000'],
    routes,
  });
  return { app, probes };
}

/** Signs in through the API; returns the Cookie header value to send. */
export async function login(app: FastifyInstance, email: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { origin: allowedOrigin },
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  const cookie = [res.headers['set-cookie']].flat()[0] ?? '';
  return cookie.split(';')[0] ?? '';
}

/** Headers of a browser request from the dashboard with this session. */
export function browser(cookie: string): Record<string, string> {
  return { cookie, origin: allowedOrigin };
}

/** A fresh group id per test so stream counts never see another test's events. */
export function newGroupId(): string {
  return `-100${randomInt(1_000_000_000, 9_999_999_999)}`;
}

export async function storedCount(harness: Harness, subject: string): Promise<number> {
  const full = harness.names.subject(subject);
  const info = await harness.jsm.streams.info(harness.names.stream('NZ_EVENTS'), {
    subjects_filter: full,
  });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
}

export async function lastStored(
  harness: Harness,
  subject: string,
): Promise<{ envelope: Envelope; event: DomainEvent }> {
  const msg = await harness.jsm.streams.getMessage(harness.names.stream('NZ_EVENTS'), {
    last_by_subj: harness.names.subject(subject),
  });
  if (!msg) throw new Error(`no event stored on ${subject}`);
  return decodeEvent(msg.header, msg.data);
}

/** Every event in the namespace's stream, decoded (small test streams only). */
export async function allStored(
  harness: Harness,
): Promise<{ subject: string; raw: Uint8Array; event: DomainEvent }[]> {
  const stream = harness.names.stream('NZ_EVENTS');
  const info = await harness.jsm.streams.info(stream);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
    const msg = await harness.jsm.streams.getMessage(stream, { seq });
    if (msg)
      out.push({
        subject: msg.subject,
        raw: msg.data,
        event: decodeEvent(msg.header, msg.data).event,
      });
  }
  return out;
}

export const enabledSubject = (groupId: string) => `nz.evt.group.${groupId}.enabled_changed`;
