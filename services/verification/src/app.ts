// The verification service built from injected dependencies (tests run it in-process):
// replays the group configuration, then takes member activity from the durable
// `verification` consumer and decides. Group events on the durable are skipped: the
// group feed applies them on every replica (see groupFeed.ts); only `group.migrated` is
// also taken here, to move the members' state in Redis once.
import {
  decodeEvent,
  runConsumer,
  type ConsumerHandle,
  type EventBus,
  type GlobalSettings,
  type Logger,
  type Naming,
  type ReadinessCheck,
} from '@nezuko/kit';
import { consumers, type DomainEvent, type Envelope } from '@nezuko/proto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Meter, Tracer } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { createCommandHandler, type CommandHandler } from './commandHandler.ts';
import type { VerificationConfig } from './config.ts';
import { createEnforcement, type Enforcement } from './enforcement.ts';
import { startGroupFeed, type GroupFeed } from './groupFeed.ts';
import { createGroupStateMover, type GroupStateMover } from './groupMigration.ts';
import { createMemberRecords } from './memberRecords.ts';
import { createMembershipChecker } from './membership.ts';
import { createMembershipCache } from './membershipCache.ts';
import { createOutbox } from './outbox.ts';
import type { PromptDefaults } from './domain/settings.ts';
import { createPromptRegistry } from './promptRegistry.ts';
import { createReconciliation } from './reconciliation.ts';
import { createReverify, type Reverify } from './reverify.ts';
import { createScheduler, type Scheduler } from './scheduler.ts';
import { createTelegramLookups } from './telegramLookups.ts';

export interface VerificationDeps {
  readonly config: Pick<
    VerificationConfig,
    | 'CACHE_POSITIVE_TTL_SECONDS'
    | 'CACHE_NEGATIVE_TTL_SECONDS'
    | 'CACHE_JITTER'
    | 'PROMPT_TTL_SECONDS'
    | 'REPLY_DELETE_AFTER_SECONDS'
    | 'SCHEDULER_TICK_MS'
    | 'RECONCILE_INTERVAL_SECONDS'
    | 'RECONCILE_BATCH'
    | 'RECHECK_AFTER_SECONDS'
    | 'ACTIVE_WINDOW_SECONDS'
    | 'ATTACK_SUMMARY_DELAY_SECONDS'
    | 'RAID_JOIN_THRESHOLD'
    | 'RAID_WINDOW_SECONDS'
  >;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly bus: EventBus;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly tracer?: Tracer;
  /** Wall clock in ms; tests move it to make jobs and re-checks due. */
  readonly clock?: () => number;
}

export interface VerificationApp {
  /** Replays group configuration, then attaches to the durable consumer. */
  start(): Promise<void>;
  /** Stops taking events, lets the one in hand finish. */
  stop(): Promise<void>;
  readonly checks: Record<string, ReadinessCheck>;
  /** Runs due jobs and one reconciliation tick now (tests; timers do it otherwise). */
  runTimers(nowMs: number): Promise<void>;
  /**
   * The operator settings changed (NZ_CONFIG): cache TTLs apply to the next entry written,
   * prompt defaults to groups never configured.
   */
  applySettings(settings: GlobalSettings): void;
}

export function createVerificationApp(deps: VerificationDeps): VerificationApp {
  const { config, logger } = deps;
  const namespace = deps.names.namespace;
  // Mutable on purpose: the cache reads its TTLs on every write, so a settings change
  // applies to the next entry without rebuilding anything.
  const ttls = {
    positiveSeconds: config.CACHE_POSITIVE_TTL_SECONDS,
    negativeSeconds: config.CACHE_NEGATIVE_TTL_SECONDS,
    jitter: config.CACHE_JITTER,
  };
  const cache = createMembershipCache(deps.redis, namespace, ttls);
  let promptDefaults: PromptDefaults | undefined;
  const lookups = createTelegramLookups(deps.nc, deps.names);
  let feed: GroupFeed | undefined;
  let consumer: ConsumerHandle | undefined;
  let scheduler: Scheduler | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let reconciling: Promise<unknown> = Promise.resolve();
  let reconcile: ((nowMs: number) => Promise<number>) | undefined;
  const clock = deps.clock ?? Date.now;

  return {
    checks: {
      groupsReplayed: () => feed?.caughtUp() ?? false,
      consumer: () => consumer?.attached() ?? false,
      redis: async () => (await deps.redis.ping()) === 'PONG',
    },

    applySettings(settings) {
      ttls.positiveSeconds = settings.membership_cache.positive_ttl_seconds;
      ttls.negativeSeconds = settings.membership_cache.negative_ttl_seconds;
      promptDefaults = {
        language: settings.prompt_defaults.language,
        deleteAfterSeconds: settings.prompt_defaults.delete_after_seconds,
      };
      feed?.setPromptDefaults(promptDefaults);
    },

    async runTimers(nowMs) {
      await scheduler?.runDue(nowMs);
      await reconcile?.(nowMs);
    },

    async start() {
      const groups = startGroupFeed({ js: deps.js, names: deps.names, logger });
      feed = groups;
      if (promptDefaults) groups.setPromptDefaults(promptDefaults);
      await groups.whenCaughtUp();
      const checker = createMembershipChecker(lookups, cache, deps.meter);
      const records = createMemberRecords(deps.redis, namespace);
      const outbox = createOutbox(deps.bus, groups);
      // The scheduler runs jobs the enforcement defines, and the enforcement schedules them.
      const jobs: Scheduler = createScheduler(
        deps.redis,
        namespace,
        (job) => member.handleJob(job),
        logger,
        clock,
      );
      scheduler = jobs;
      const member = createEnforcement({
        groups,
        checker,
        lookups,
        cache,
        prompts: createPromptRegistry(deps.redis, namespace, config.PROMPT_TTL_SECONDS),
        records,
        scheduler: jobs,
        outbox,
        timings: config,
        logger,
        meter: deps.meter,
        clock,
      });
      const commands = createCommandHandler({
        groups,
        checker,
        lookups,
        cache,
        records,
        outbox,
        logger,
        clock,
      });
      const reconciliation = createReconciliation({
        groups,
        records,
        enforcement: member,
        logger,
        batch: config.RECONCILE_BATCH,
        recheckAfterMs: config.RECHECK_AFTER_SECONDS * 1000,
        activeWindowMs: config.ACTIVE_WINDOW_SECONDS * 1000,
      });
      reconcile = (nowMs) => reconciliation.tick(nowMs);
      const reverify = createReverify({ groups, reconciliation, bus: deps.bus, logger, clock });
      const handlers: Handlers = {
        enforcement: member,
        commands,
        reverify,
        groupState: createGroupStateMover(deps.redis, namespace),
        logger,
      };
      consumer = runConsumer<{ envelope: Envelope; event: DomainEvent }>({
        js: deps.js,
        names: deps.names,
        spec: consumers.verification,
        logger,
        meter: deps.meter,
        ...(deps.tracer ? { tracer: deps.tracer } : {}),
        decode: (msg) => decodeEvent(msg.headers, msg.data),
        describe: ({ envelope }) => envelope.type,
        handle: ({ value }) => dispatch(handlers, value.envelope, value.event),
      });
      jobs.start(config.SCHEDULER_TICK_MS);
      if (config.RECONCILE_INTERVAL_SECONDS > 0) {
        const tick = () => {
          reconciling = reconciliation
            .tick(clock())
            .catch((error: unknown) => logger.warn({ err: error }, 'reconciliation tick failed'))
            .finally(() => {
              if (reconcileTimer)
                reconcileTimer = setTimeout(tick, config.RECONCILE_INTERVAL_SECONDS * 1000);
            });
        };
        reconcileTimer = setTimeout(tick, config.RECONCILE_INTERVAL_SECONDS * 1000);
      }
      logger.info('verification started');
    },

    async stop() {
      clearTimeout(reconcileTimer);
      reconcileTimer = undefined;
      await reconciling;
      await consumer?.stop();
      await scheduler?.stop();
      await feed?.stop();
    },
  };
}

interface Handlers {
  readonly enforcement: Enforcement;
  readonly commands: CommandHandler;
  readonly reverify: Reverify;
  readonly groupState: GroupStateMover;
  readonly logger: Logger;
}

async function dispatch(
  { enforcement, commands, reverify, groupState, logger }: Handlers,
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
      return commands.onCommand(envelope, event.event);
    case 'chat.button_pressed':
      return commands.onButtonPressed(envelope, event.event);
    case 'chat.member_updated':
      return commands.onMemberUpdated(event.event);
    case 'chat.join_requested':
      return enforcement.onJoinRequested(envelope, event.event);
    case 'channel.member_changed':
      return enforcement.onChannelMemberChanged(envelope, event.event);
    case 'bot.action_executed':
      return enforcement.onActionExecuted(event.event);
    case 'verify.recheck_requested':
      return reverify.onRequested(envelope, event.event);
    // The group feed moves the configuration on every replica; the members' state in the
    // shared Redis moves once, here.
    case 'group.migrated': {
      const { groupId, newGroupId } = event.event;
      const moved = await groupState.move(groupId, newGroupId);
      logger.info({ groupId, newGroupId, moved }, 'members’ state moved to the supergroup');
      return;
    }
    case 'group.channel_linked':
    case 'group.channel_unlinked':
    case 'group.enabled_changed':
    case 'group.settings_changed':
    case 'group.synced':
    case 'group.bot_left':
    case 'bot.registered':
    case 'bot.status_changed':
    case 'bot.lifecycle_changed':
    case 'bot.api_called':
    case 'bot.chat_access_lost':
    case 'verify.decided':
    case 'verify.access_restored':
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
