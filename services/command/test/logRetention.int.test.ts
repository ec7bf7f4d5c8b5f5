// The operator's log retention reaches NZ_LOGS: its max age follows `retention.logs_days`.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { applyTopology, naming } from '@nezuko/kit';
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { kvBuckets } from '@nezuko/proto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyLogRetention } from '../src/logRetention.ts';
import { defaultSettings, sharedPart } from '../src/settings.ts';

const names = naming(uniqueNamespace('logret'));
const nc = await connect({ servers: testEnv().natsUrl });
const jsm = await jetstreamManager(nc);

beforeAll(() => applyTopology(jsm, names));

afterAll(async () => {
  await jsm.streams.delete(names.stream('NZ_LOGS')).catch(() => undefined);
  for (const stream of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_DEADLETTER'] as const)
    await jsm.streams.delete(names.stream(stream)).catch(() => undefined);
  for (const bucket of kvBuckets)
    await jsm.streams.delete(`KV_${names.durable(bucket.name)}`).catch(() => undefined);
  await nc.close();
});

it('sets the max age of NZ_LOGS to the configured days, and changes it when they change', async () => {
  const settings = sharedPart(defaultSettings);
  await applyLogRetention(jsm, names, {
    ...settings,
    retention: { ...settings.retention, logs_days: 5 },
  });
  const day = 86_400 * 1e9;
  expect((await jsm.streams.info(names.stream('NZ_LOGS'))).config.max_age).toBe(5 * day);
  await applyLogRetention(jsm, names, {
    ...settings,
    retention: { ...settings.retention, logs_days: 1 },
  });
  expect((await jsm.streams.info(names.stream('NZ_LOGS'))).config.max_age).toBe(day);
});
