// The verification service built from injected dependencies (tests run it in-process):
// replays the group configuration, then takes member activity from the durable
// `verification` consumer and decides. Group events on the durable are skipped: the
// group feed applies them on every replica (see groupFeed.ts).
import {
  decodeEvent,
  runConsumer,
  type ConsumerHandle,
  type EventBus,
  type Logger,
  type Naming,
  type ReadinessCheck,
} from '@nezuko/kit';
import { consumers, type DomainEvent, type Envelope } from '@nezuko/proto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { VerificationConfig } from './config.ts';
import { createEnforcement, type Enforcement } from './enforcement.ts';
import { startGroupFeed, type GroupFeed } from './groupFeed.ts';
import { createMembershipChecker } from './membership.ts';
import { createMembershipCache } from './membershipCache.ts';
import { createPromptRegistry } from './promptRegistry.ts';
import { createTelegramLookups } from './telegramLookups.ts';

export interface VerificationDeps {
  readonly config: Pick<
    VerificationConfig,
    | 'CACHE_POSITIVE_TTL_SECONDS'
    | 'CACHE_NEGATIVE_TTL_SECONDS'
    | 'CACHE_JITTER'
    | 'PROMPT_TTL_SECONDS'
  >;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly bus: EventBus;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly tracer?: Tracer;
}

export interface VerificationApp {
  /** Replays group configuration, then attaches to the durable consumer. */
  start(): Promise<void>;
  /** Stops taking events, lets the one in hand finish. */
  stop(): Promise<void>;
  readonly checks: Record<string, ReadinessCheck>;
}

export function createVerificationApp(deps: VerificationDeps): VerificationApp {
  const { config, logger } = deps;
  const namespace = deps.names.namespace;
  const cache = createMembershipCache(deps.redis, namespace, {
    positiveSeconds: config.CACHE_POSITIVE_TTL_SECONDS,
    negativeSeconds: config.CACHE_NEGATIVE_TTL_SECONDS,
    jitter: config.CACHE_JITTER,
  });
  const lookups = createTelegramLookups(deps.nc, deps.names);
  let feed: GroupFeed | undefined;
  let consumer: ConsumerHandle | undefined;

  return {
    checks: {
      groupsReplayed: () => feed?.caughtUp() ?? false,
      consumer: () => consumer?.attached() ?? false,
      redis: async () => (await deps.redis.ping()) === 'PONG',
    },

    async start() {
      const groups = startGroupFeed({ js: deps.js, names: deps.names, logger });
      feed = groups;
      await groups.whenCaughtUp();
      const enforcement = createEnforcement({
        groups,
        checker: createMembershipChecker(lookups, cache, deps.meter),
        lookups,
        cache,
        prompts: createPromptRegistry(deps.redis, namespace, config.PROMPT_TTL_SECONDS),
        bus: deps.bus,
        logger,
        meter: deps.meter,
      });
      consumer = runConsumer<{ envelope: Envelope; event: DomainEvent }>({
        js: deps.js,
        names: deps.names,
        spec: consumers.verification,
        logger,
        meter: deps.meter,
        ...(deps.tracer ? { tracer: deps.tracer } : {}),
        decode: (msg) => decodeEvent(msg.headers, msg.data),
        describe: ({ envelope }) => envelope.type,
        handle: ({ value }) => dispatch(enforcement, value.envelope, value.event),
      });
      logger.info('verification started');
    },

    async stop() {
      await consumer?.stop();
      await feed?.stop();
    },
  };
}

async function dispatch(
  enforcement: Enforcement,
  envelope: Envelope,
  event: DomainEvent,
): Promise<void> {
  switch (event.type) {
    case 'chat.member_joined':
      return enforcement.onActivity(envelope, 'join', event.event);
    case 'chat.message_received':
      return enforcement.onActivity(envelope, 'message', event.event);
    case 'chat.verify_pressed':
      return enforcement.onVerifyPressed(envelope, event.event);
    case 'chat.command_received':
      return enforcement.onCommand(envelope, event.event);
    case 'channel.member_changed':
      return enforcement.onChannelMemberChanged(event.event);
    case 'bot.action_executed':
      return enforcement.onActionExecuted(event.event);
    case 'group.channel_linked':
    case 'group.channel_unlinked':
    case 'group.enabled_changed':
    case 'group.settings_changed':
    case 'chat.join_requested':
    case 'chat.member_updated':
    case 'chat.button_pressed':
    case 'bot.registered':
    case 'bot.status_changed':
    case 'bot.lifecycle_changed':
    case 'bot.api_called':
    case 'bot.chat_access_lost':
    case 'verify.decided':
    case 'admin.created':
    case 'admin.role_changed':
    case 'admin.deleted':
    case 'audit.recorded':
    case 'command.requested':
    case 'command.status_changed':
      return;
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event ${JSON.stringify(value)}`);
}
