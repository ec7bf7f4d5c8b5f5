// Builds the command app against a real NATS in an isolated namespace, and reads what it
// appended back from the NZ_EVENTS stream.
import { randomInt } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  applyTopology,
  createEventBus,
  createLogger,
  decodeEvent,
  naming,
  natsReady,
  type Naming,
  type Probes,
} from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { metrics, type Meter } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { bearerTokenAuthenticator } from '../src/auth.ts';

export const adminToken = 'test-admin-token-0123456789abcdef';
export const adminEmail = 'owner@example.com';
export const allowedOrigin = 'http://localhost:3000';
export const fixedNow = new Date('2025-01-02T03:04:05.000Z');

export interface Harness {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  /** Deletes the namespace's streams and closes the connection. */
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const nc = await connect({ servers: testEnv().natsUrl });
  const jsm = await jetstreamManager(nc);
  const names = naming(uniqueNamespace('cmd'));
  await applyTopology(jsm, names);
  return {
    nc,
    jsm,
    names,
    async close() {
      for (const stream of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
        await jsm.streams.delete(names.stream(stream)).catch(() => undefined);
      }
      await nc.close();
    },
  };
}

export interface AppOptions {
  readonly nc?: NatsConnection;
  readonly logLines?: string[];
  readonly meter?: Meter;
  readonly serveMetrics?: Probes['serveMetrics'];
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
  const app = buildApp({
    bus: createEventBus(jetstream(nc), harness.names),
    logger,
    meter: options.meter ?? metrics.getMeter('command-test'),
    probes,
    clock: () => fixedNow,
    authenticate: bearerTokenAuthenticator(adminToken, adminEmail),
    allowedOrigins: [allowedOrigin, 'http://127.0.0.1:3000'],
  });
  return { app, probes };
}

/** A fresh group id per test so stream counts never see another test's events. */
export function newGroupId(): string {
  return `-100${randomInt(1_000_000_000, 9_999_999_999)}`;
}

function enabledSubject(harness: Harness, groupId: string): string {
  return harness.names.subject(`nz.evt.group.${groupId}.enabled_changed`);
}

export async function storedCount(harness: Harness, groupId: string): Promise<number> {
  const subject = enabledSubject(harness, groupId);
  const info = await harness.jsm.streams.info(harness.names.stream('NZ_EVENTS'), {
    subjects_filter: subject,
  });
  return info.state.subjects?.[subject] ?? 0;
}

export async function lastStored(harness: Harness, groupId: string) {
  const msg = await harness.jsm.streams.getMessage(harness.names.stream('NZ_EVENTS'), {
    last_by_subj: enabledSubject(harness, groupId),
  });
  if (!msg) throw new Error(`no event stored for group ${groupId}`);
  return decodeEvent(msg.header, msg.data);
}
