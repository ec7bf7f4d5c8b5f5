// Applies the declared streams and consumers (from @nezuko/proto) idempotently: creates
// what is missing, updates what changed, never deletes data.
import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { nanos } from '@nats-io/transport-node';
import {
  kvBuckets,
  streams,
  staticConsumers,
  type ConsumerSpec,
  type KvBucketSpec,
  type StreamSpec,
} from '@nezuko/proto';
import type { Naming } from './naming.ts';

export interface TopologyOptions {
  /** Stream replicas: 1 on one machine, 3 on a NATS cluster (R3). */
  readonly replicas?: number;
}

function streamConfig(
  spec: StreamSpec,
  names: Naming,
  options: TopologyOptions,
): Partial<StreamConfig> & { name: string } {
  return {
    name: names.stream(spec.name),
    subjects: spec.subjects.map((s) => names.subject(s)),
    retention: spec.retention === 'workqueue' ? RetentionPolicy.Workqueue : RetentionPolicy.Limits,
    storage: spec.storage === 'file' ? StorageType.File : StorageType.Memory,
    max_age: nanos(spec.maxAgeSeconds * 1000),
    duplicate_window: nanos(spec.duplicateWindowSeconds * 1000),
    num_replicas: options.replicas ?? 1,
    // Reads by sequence (the dashboard's stream browser, logs) skip the JSON API.
    allow_direct: true,
  };
}

export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  names: Naming,
  options: TopologyOptions = {},
): Promise<void> {
  const config = streamConfig(spec, names, options);
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
  }
}

export async function ensureConsumer(
  jsm: JetStreamManager,
  spec: ConsumerSpec,
  names: Naming,
): Promise<void> {
  const stream = names.stream(spec.stream);
  const config = {
    durable_name: names.durable(spec.durable),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: names.subject(spec.filterSubject),
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.ackWaitSeconds * 1000),
    max_ack_pending: spec.maxAckPending,
  };
  try {
    await jsm.consumers.info(stream, config.durable_name);
    await jsm.consumers.update(stream, config.durable_name, {
      max_deliver: config.max_deliver,
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.consumers.add(stream, config);
  }
}

/** A KV bucket's name in a namespace (`<ns>_NZ_LEASES`). */
export function bucketName(spec: Pick<KvBucketSpec, 'name'>, names: Naming): string {
  return names.durable(spec.name);
}

/** Creates the bucket if missing; an existing one is left as it is (its data is live state). */
export async function ensureKvBucket(
  jsm: JetStreamManager,
  spec: KvBucketSpec,
  names: Naming,
  options: TopologyOptions = {},
): Promise<void> {
  await new Kvm(jsm.jetstream()).create(bucketName(spec, names), {
    history: spec.history,
    ttl: spec.ttlSeconds * 1000,
    replicas: options.replicas ?? 1,
  });
}

/** The setup step: every stream, KV bucket and statically known durable consumer. */
export async function applyTopology(
  jsm: JetStreamManager,
  names: Naming,
  options: TopologyOptions = {},
): Promise<void> {
  for (const spec of streams) await ensureStream(jsm, spec, names, options);
  for (const spec of kvBuckets) await ensureKvBucket(jsm, spec, names, options);
  for (const spec of staticConsumers) await ensureConsumer(jsm, spec, names);
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return (
    e.api_error?.err_code === 10059 ||
    e.api_error?.err_code === 10014 ||
    e.code === '404' ||
    /not found/i.test(e.message ?? '')
  );
}
