// The gateway: every bot registered in the event stream, run by whichever replica holds
// the bot's lease. With BOT_TOKEN it first registers that bot itself (getMe, token sealed).
// It follows registrations and lifecycle changes live, so bots start and stop without a
// restart. Built from injected dependencies so tests run it in-process against the
// Telegram emulator.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bucketName,
  openLeaseBucket,
  type EventBus,
  type Keyring,
  type Logger,
  type Naming,
  type ReadinessCheck,
} from '@nezuko/kit';
import { ActorSchema, create, kvBuckets } from '@nezuko/proto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Meter, Tracer } from '@opentelemetry/api';
import { createBotRunner, identify, type Identified } from './bot.ts';
import { startBotFeed, type BotFeed } from './bots/botFeed.ts';
import { createFleet, type Fleet } from './bots/fleet.ts';
import { shouldRun } from './bots/registry.ts';
import { openToken, registrationOf } from './bots/tokens.ts';
import { createBotStatusReporter } from './heartbeat.ts';
import type { GatewayConfig } from './config.ts';
import { createApiCallRecorder, type ApiCallRecorder } from './telegram/apiCalls.ts';
import { createTelegramClient } from './telegram/client.ts';
import { createCallSpacing, type RateLimiter } from './telegram/limiter.ts';
import { createUpdateIntake } from './updates/intake.ts';
import { createWebhookHandler, webhookSecret, type WebhookTarget } from './updates/webhook.ts';

export interface GatewayDeps {
  readonly config: Pick<
    GatewayConfig,
    | 'BOT_TOKEN'
    | 'TELEGRAM_API_ROOT'
    | 'HEARTBEAT_INTERVAL_MS'
    | 'TELEGRAM_RATE_PER_SECOND'
    | 'TELEGRAM_RATE_MARGIN_MS'
    | 'POLL_TIMEOUT_SECONDS'
    | 'BOT_LEASE_SECONDS'
    | 'WEBHOOK_BASE_URL'
  >;
  readonly keyring: Keyring;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly tracer?: Tracer;
  /** Names this process in status events and leases (host and pid in production). */
  readonly replica: string;
}

export interface GatewayApp {
  /**
   * Registers the env bot (if any), replays the bot registrations and starts contending;
   * resolves with the env bot once this replica runs it, or once another replica is seen
   * holding it.
   */
  start(): Promise<Identified | undefined>;
  /** Bots this replica runs now. */
  running(): string[];
  /** Serves `POST /telegram/webhook/<botId>` (webhook mode); false for other paths. */
  handleWebhook(req: IncomingMessage, res: ServerResponse): boolean;
  /** Stops every bot (intake first, in-flight work finishes, STOPPED), releases the leases. */
  stop(): Promise<void>;
  readonly checks: Record<string, ReadinessCheck>;
}

export function createGatewayApp(deps: GatewayDeps): GatewayApp {
  const { config, logger } = deps;
  const holder = `${deps.replica}:${randomUUID().slice(0, 8)}`;
  let feed: BotFeed | undefined;
  let fleet: Fleet | undefined;
  let stopping = false;

  // api_called events for the calls made outside a bot's runner (env registration, webhook
  // intake); the runner has its own.
  const recorders = new Map<string, ApiCallRecorder>();
  const recorderFor = (token: string): ApiCallRecorder => {
    const botId = token.slice(0, token.indexOf(':'));
    let recorder = recorders.get(botId);
    if (!recorder) {
      recorder = createApiCallRecorder({
        bus: deps.bus,
        logger,
        meter: deps.meter,
        botId,
        replica: deps.replica,
      });
      recorders.set(botId, recorder);
    }
    return recorder;
  };

  // One spacing per token in this process: the bot's runner, its webhook intake and the
  // start-up getMe all count against the same Telegram limit.
  const limiters = new Map<string, RateLimiter>();
  const limiterFor = (token: string): RateLimiter => {
    let limiter = limiters.get(token);
    if (!limiter) {
      limiter = createCallSpacing(config.TELEGRAM_RATE_PER_SECOND, {
        marginMs: config.TELEGRAM_RATE_MARGIN_MS,
      });
      limiters.set(token, limiter);
    }
    return limiter;
  };

  const registerEnvBot = async (token: string) => {
    const telegram = createTelegramClient({
      token,
      apiRoot: config.TELEGRAM_API_ROOT,
      limiter: limiterFor(token),
      meter: deps.meter,
      onCall: (call) => recorderFor(token).record(call),
    });
    const bot = await identify(telegram, logger, () => stopping);
    const registration = registrationOf(
      bot,
      token,
      deps.keyring,
      create(ActorSchema, { who: { case: 'system', value: 'env:BOT_TOKEN' } }),
    );
    await deps.bus.publish('bot.registered', registration.event, { id: registration.id });
    return bot;
  };

  // Webhook intake for any bot this replica knows, lease or not: a load balancer may send
  // a bot's updates to any replica. One per token, made on first use.
  const webhookTargets = new Map<string, WebhookTarget>();
  const targetFor = (botId: string): WebhookTarget | undefined => {
    const record = feed?.registry().get(botId);
    if (!record?.registration || !shouldRun(record)) return undefined;
    const opened = openToken(record.registration.event, deps.keyring);
    const token = opened.ok
      ? opened.token
      : config.BOT_TOKEN?.startsWith(`${botId}:`)
        ? config.BOT_TOKEN
        : undefined;
    if (!token) return undefined;
    let target = webhookTargets.get(token);
    if (!target) {
      const telegram = createTelegramClient({
        token,
        apiRoot: config.TELEGRAM_API_ROOT,
        limiter: limiterFor(token),
        meter: deps.meter,
        onCall: (call) => recorderFor(token).record(call),
      });
      target = {
        secret: webhookSecret(token),
        intake: createUpdateIntake({
          bot: { botId, username: record.registration.event.username },
          bus: deps.bus,
          telegram,
          logger: logger.child({ botId, component: 'webhook' }),
          meter: deps.meter,
          isStopping: () => stopping,
        }),
      };
      webhookTargets.set(token, target);
    }
    return target;
  };
  const handleWebhook = createWebhookHandler({ targetFor, logger });

  return {
    handleWebhook,
    checks: {
      bots: async () => (feed !== undefined && (await fleet?.checks.bots())) ?? false,
    },
    running: () => fleet?.running() ?? [],

    async start() {
      const envBot = config.BOT_TOKEN ? await registerEnvBot(config.BOT_TOKEN) : undefined;
      const kv = await openLeaseBucket(deps.js, bucketName(kvBuckets[0]!, deps.names));
      const running = (fleet = createFleet({
        kv,
        keyring: deps.keyring,
        logger,
        holder,
        leaseMs: config.BOT_LEASE_SECONDS * 1000,
        ...(config.BOT_TOKEN ? { envToken: config.BOT_TOKEN } : {}),
        createRunner: (token, webhookBaseUrl) =>
          createBotRunner({
            token,
            ...(webhookBaseUrl ? { webhookBaseUrl } : {}),
            config,
            nc: deps.nc,
            js: deps.js,
            jsm: deps.jsm,
            names: deps.names,
            bus: deps.bus,
            logger,
            meter: deps.meter,
            ...(deps.tracer ? { tracer: deps.tracer } : {}),
            replica: deps.replica,
            limiter: limiterFor(token),
          }),
        onStartFailed: (botId, reason) => {
          logger.error({ botId, reason }, 'bot could not start');
          void createBotStatusReporter({
            bus: deps.bus,
            logger,
            botId,
            replica: deps.replica,
          }).error(reason);
        },
      }));
      feed = startBotFeed({
        js: deps.js,
        names: deps.names,
        logger,
        onChange: (registry) => {
          if (!stopping) running.reconcile(registry);
        },
      });
      await feed.whenCaughtUp();
      if (envBot) await untilRunHere(running, kv, envBot.botId, holder);
      logger.info({ running: running.running() }, 'bot gateway started');
      return envBot;
    },

    async stop() {
      stopping = true;
      await feed?.stop();
      await fleet?.stop();
      await Promise.all([...recorders.values()].map((r) => r.flush(2000)));
    },
  };
}

/** Waits until this replica runs the bot, or another replica holds its lease. */
async function untilRunHere(
  fleet: Fleet,
  kv: Awaited<ReturnType<typeof openLeaseBucket>>,
  botId: string,
  holder: string,
) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (fleet.running().includes(botId)) return;
    const entry = await kv.get(`bot.${botId}`).catch(() => null);
    const owner = entry?.operation === 'PUT' ? new TextDecoder().decode(entry.value) : '';
    if (owner !== '' && owner !== holder) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
