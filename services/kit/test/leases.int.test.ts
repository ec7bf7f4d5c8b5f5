// Leases on a real NATS KV bucket: one holder at a time, takeover when the holder stops
// renewing (it died), immediate handover when it releases.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { kvBuckets } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyTopology,
  bucketName,
  contendForLease,
  createLogger,
  naming,
  openLeaseBucket,
  type Lease,
} from '../src/index.ts';
import { testEnv, uniqueNamespace } from '../src/testing/index.ts';

const logger = createLogger('kit-test', 'silent');
const names = naming(uniqueNamespace('lease'));
const bucket = bucketName(kvBuckets[0]!, names);
let nc: NatsConnection;
let kv: KV;

beforeAll(async () => {
  nc = await connect({ servers: testEnv().natsUrl });
  const jsm = await jetstreamManager(nc);
  await applyTopology(jsm, names);
  await applyTopology(jsm, names); // idempotent, buckets included
  kv = await openLeaseBucket(jetstream(nc), bucket);
});

afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  for (const s of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
    await jsm.streams.delete(names.stream(s)).catch(() => undefined);
  }
  await jsm.streams.delete(`KV_${bucket}`).catch(() => undefined);
  await nc.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contender(key: string, holder: string, leaseMs: number) {
  const changes: boolean[] = [];
  const lease: Lease = contendForLease({
    kv,
    key,
    holder,
    leaseMs,
    checkEveryMs: 100,
    logger,
    onChange: (held) => changes.push(held),
  });
  return { lease, changes };
}

describe('leases', () => {
  it('takes over from a holder that stopped renewing, and keeps one holder at a time', async () => {
    // A replica that died while holding the lease: its entry stays, never renewed.
    await kv.put('bot.1', new TextEncoder().encode('dead-replica'));
    const started = Date.now();
    const a = contender('bot.1', 'a', 800);
    await sleep(400);
    expect(a.lease.held()).toBe(false);
    while (!a.lease.held() && Date.now() - started < 3000) await sleep(50);
    expect(a.lease.held()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);

    const b = contender('bot.1', 'b', 800);
    await sleep(1500); // longer than the lease: a keeps renewing, so b never wins
    expect(b.lease.held()).toBe(false);
    expect(a.lease.held()).toBe(true);
    expect(new TextDecoder().decode((await kv.get('bot.1'))?.value)).toBe('a');

    const released = Date.now();
    await a.lease.release();
    while (!b.lease.held() && Date.now() - released < 2000) await sleep(20);
    expect(b.lease.held()).toBe(true);
    expect(Date.now() - released).toBeLessThan(600); // handover without waiting a lease
    await b.lease.release();
    expect(a.changes).toEqual([true]);
    expect(b.changes).toEqual([true]);
  });

  it('names the setup step when the bucket is missing', async () => {
    await expect(openLeaseBucket(jetstream(nc), 'NO_SUCH_BUCKET')).rejects.toThrow(
      /run the setup step/,
    );
  });

  it('a holder whose entry was overwritten learns it lost the lease', async () => {
    const a = contender('bot.2', 'a', 600);
    while (!a.lease.held()) await sleep(20);
    await kv.put('bot.2', new TextEncoder().encode('intruder'));
    await sleep(400);
    expect(a.lease.held()).toBe(false);
    expect(a.changes).toEqual([true, false]);
    await a.lease.release();
  });
});
