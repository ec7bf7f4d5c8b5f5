// Every stream and durable consumer Nezuko uses, declared once. The setup step
// (`nezuko setup`, run by `npm start`, the e2e tests and a k8s Job) applies them
// idempotently; services only attach. Plain data so any tool can read it.
import { subjects } from './subjects.ts';

export type StreamName = 'NZ_EVENTS' | 'NZ_ACTIONS' | 'NZ_LOGS' | 'NZ_DEADLETTER';

export interface StreamSpec {
  readonly name: StreamName;
  readonly subjects: readonly string[];
  readonly retention: 'limits' | 'workqueue';
  readonly storage: 'file' | 'memory';
  /** 0 = keep forever. */
  readonly maxAgeSeconds: number;
  /** Window in which JetStream drops a repeated Nats-Msg-Id. */
  readonly duplicateWindowSeconds: number;
}

export const streams: readonly StreamSpec[] = [
  {
    name: 'NZ_EVENTS',
    subjects: [subjects.eventsAll],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 0,
    duplicateWindowSeconds: 2 * 60 * 60,
  },
  {
    name: 'NZ_ACTIONS',
    subjects: [subjects.actionsAll],
    retention: 'workqueue',
    storage: 'file',
    maxAgeSeconds: 24 * 60 * 60,
    duplicateWindowSeconds: 2 * 60 * 60,
  },
  {
    name: 'NZ_LOGS',
    subjects: [subjects.logsAll],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 3 * 24 * 60 * 60,
    duplicateWindowSeconds: 60,
  },
  {
    name: 'NZ_DEADLETTER',
    subjects: [subjects.deadLettersAll],
    retention: 'limits',
    storage: 'file',
    maxAgeSeconds: 30 * 24 * 60 * 60,
    duplicateWindowSeconds: 60,
  },
];

export interface ConsumerSpec {
  readonly stream: StreamName;
  readonly durable: string;
  readonly filterSubject: string;
  /** Deliveries before a message is dead-lettered. */
  readonly maxDeliver: number;
  readonly ackWaitSeconds: number;
  readonly maxAckPending: number;
}

const durable = (
  stream: StreamName,
  name: string,
  filterSubject: string,
  overrides: Partial<ConsumerSpec> = {},
): ConsumerSpec => ({
  stream,
  durable: name,
  filterSubject,
  maxDeliver: 5,
  ackWaitSeconds: 30,
  maxAckPending: 1000,
  ...overrides,
});

export const consumers = {
  verification: durable('NZ_EVENTS', 'verification', subjects.eventsAll),
  analyticsProjector: durable('NZ_EVENTS', 'analytics-projector', subjects.eventsAll, {
    maxAckPending: 5000,
  }),
  /** One actions consumer per bot; the gateway that leases the bot attaches to it. */
  gatewayActions: (botId: string): ConsumerSpec =>
    durable('NZ_ACTIONS', `gateway-actions-${botId}`, subjects.actions(botId), {
      maxDeliver: 10,
      // Sends queued for a chat's per-minute limit wait as delayed naks, which count as
      // pending: room for a raid's worth so restricts keep flowing meanwhile.
      maxAckPending: 10_000,
    }),
} as const;

/** The durable consumers known at setup time (per-bot ones are ensured when a bot starts). */
export const staticConsumers: readonly ConsumerSpec[] = [
  consumers.verification,
  consumers.analyticsProjector,
];

export type KvBucketName = 'NZ_LEASES' | 'NZ_SENDS' | 'NZ_CONFIG';

export interface KvBucketSpec {
  readonly name: KvBucketName;
  /** Entries not written for this long are removed (nats-server 2.9 has no per-key TTL). */
  readonly ttlSeconds: number;
  readonly history: number;
}

export const kvBuckets: readonly KvBucketSpec[] = [
  // Who holds which lease (e.g. `bot.<botId>`: the gateway replica polling that bot).
  // Holders renew every few seconds; the TTL only sweeps keys of bots long gone.
  { name: 'NZ_LEASES', ttlSeconds: 10 * 60, history: 1 },
  // What became of each message send the gateways attempted (`<actionId>`): sending, or the
  // outcome Telegram gave. A replica that takes over a redelivered send reads it, so a
  // prompt is never posted twice. Kept longer than any redelivery of an action.
  { name: 'NZ_SENDS', ttlSeconds: 24 * 60 * 60, history: 1 },
  // The operator settings every service applies live (key `settings`, written by the command
  // service on each change and at its start; never a secret). Kept forever: a service
  // started later reads the latest value.
  { name: 'NZ_CONFIG', ttlSeconds: 0, history: 1 },
];
