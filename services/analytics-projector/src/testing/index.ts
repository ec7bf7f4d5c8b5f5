// Test support for the projector and its readers (websocket-push): an isolated event
// store on the real NATS, builders for the events the projector reads, and polling.
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { applyTopology, createEventBus, naming, type EventBus, type Naming } from '@nezuko/kit';
import {
  BotStatus,
  ChannelLinkedSchema,
  create,
  VerificationDecidedSchema,
  VerificationOutcome,
  VerificationTrigger,
  type EventOf,
} from '@nezuko/proto';
import type { Outcome, Trigger } from '../readModel/index.ts';

export interface EventStoreFixture {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly bus: EventBus;
  /** Deletes the namespace's streams and closes the connection. */
  close(): Promise<void>;
}

/** Applies the real topology under a fresh namespace, as the setup step does. */
export async function openEventStore(
  natsUrl: string,
  namespace: string,
): Promise<EventStoreFixture> {
  const nc = await connect({ servers: natsUrl });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const names = naming(namespace);
  await applyTopology(jsm, names);
  return {
    nc,
    js,
    jsm,
    names,
    bus: createEventBus(js, names),
    async close() {
      for (const stream of ['NZ_EVENTS', 'NZ_ACTIONS', 'NZ_LOGS', 'NZ_DEADLETTER'] as const) {
        await jsm.streams.delete(names.stream(stream)).catch(() => undefined);
      }
      await nc.close();
    },
  };
}

const outcomeValues: Record<Outcome, VerificationOutcome> = {
  verified: VerificationOutcome.VERIFIED,
  restricted: VerificationOutcome.RESTRICTED,
  exempt: VerificationOutcome.EXEMPT,
  error: VerificationOutcome.ERROR,
};
const triggerValues: Record<Trigger, VerificationTrigger> = {
  join: VerificationTrigger.JOIN,
  message: VerificationTrigger.MESSAGE,
  verify_button: VerificationTrigger.VERIFY_BUTTON,
  recheck: VerificationTrigger.RECHECK,
};

export interface DecisionInput {
  readonly groupId: string;
  readonly userId: string;
  readonly outcome: Outcome;
  readonly trigger?: Trigger;
  readonly cached?: boolean;
  readonly latencyMs?: number;
  readonly botId?: string;
  readonly username?: string;
  readonly firstName?: string;
  readonly missingChannelIds?: readonly string[];
}

export function decision(input: DecisionInput): EventOf<'verify.decided'> {
  return create(VerificationDecidedSchema, {
    groupId: input.groupId,
    botId: input.botId ?? '7001',
    user: {
      id: input.userId,
      username: input.username ?? '',
      firstName: input.firstName ?? `User ${input.userId}`,
    },
    outcome: outcomeValues[input.outcome],
    trigger: triggerValues[input.trigger ?? 'join'],
    cached: input.cached ?? false,
    latencyMs: input.latencyMs ?? 10,
    missingChannelIds: [...(input.missingChannelIds ?? [])],
  });
}

export function channelLinked(input: {
  groupId: string;
  groupTitle?: string;
  channelId: string;
  channelTitle?: string;
  channelUsername?: string;
  botId?: string;
}): EventOf<'group.channel_linked'> {
  return create(ChannelLinkedSchema, {
    groupId: input.groupId,
    groupTitle: input.groupTitle ?? '',
    botId: input.botId ?? '7001',
    channel: {
      id: input.channelId,
      title: input.channelTitle ?? '',
      username: input.channelUsername ?? '',
      inviteLink: input.channelUsername ? `https://t.me/${input.channelUsername}` : '',
    },
  });
}

export const botStatus = BotStatus;

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
