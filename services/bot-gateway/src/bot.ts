// One bot, run by the replica that holds its lease: identity (getMe), status events, update
// intake by long polling, action execution from the bot's NZ_ACTIONS consumer, the look-up
// RPCs, and an api_called event per Bot API call. Built from injected dependencies so tests
// run it in-process against the Telegram emulator.
import {
  bucketName,
  decodeAction,
  ensureConsumer,
  openLeaseBucket,
  runConsumer,
  type ConsumerHandle,
  type EventBus,
  type Logger,
  type Naming,
  type ReadinessCheck,
} from '@nezuko/kit';
import { consumers, kvBuckets, type KvBucketSpec } from '@nezuko/proto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Meter, Tracer } from '@opentelemetry/api';
import { createActionExecutor } from './actions/execute.ts';
import { createSendLedger } from './actions/sendLedger.ts';
import type { GatewayConfig } from './config.ts';
import { createBotStatusReporter, startHeartbeat, type BotStatusReporter } from './heartbeat.ts';
import { serveLookups } from './rpc.ts';
import { createApiCallRecorder } from './telegram/apiCalls.ts';
import { createChatAccessReporter } from './telegram/chatAccess.ts';
import { createChatSendSchedule } from './telegram/chatSends.ts';
import { createMigrationFollower } from './telegram/migration.ts';
import { createTelegramClient, type TelegramClient } from './telegram/client.ts';
import { classifyTelegramFailure } from './telegram/errors.ts';
import type { RateLimiter } from './telegram/limiter.ts';
import { createUpdateIntake } from './updates/intake.ts';
import { allowedUpdates, startPoller, type Poller } from './updates/poller.ts';
import { webhookSecret, webhookUrl } from './updates/webhook.ts';
import type { BotIdentity } from './updates/translate.ts';

export interface BotRunnerDeps {
  /** The bot's token, opened from its registration; it stays in this process. */
  readonly token: string;
  /** The bot's own webhook URL (from its registration), over WEBHOOK_BASE_URL. */
  readonly webhookBaseUrl?: string;
  readonly config: Pick<
    GatewayConfig,
    'TELEGRAM_API_ROOT' | 'WEBHOOK_BASE_URL' | 'HEARTBEAT_INTERVAL_MS' | 'POLL_TIMEOUT_SECONDS'
  >;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: Naming;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly tracer?: Tracer;
  /** Names this process in status events (host and pid in production). */
  readonly replica: string;
  /** The bot's call spacing, shared with every other client of the token in this process. */
  readonly limiter: RateLimiter;
}

const sendsBucket = kvBuckets.find((b) => b.name === 'NZ_SENDS') as KvBucketSpec;

export interface BotRunner {
  /** Identifies the bot, starts every part; resolves when updates are being polled. */
  start(): Promise<BotIdentity>;
  /**
   * Stops intake first, lets in-flight work finish, then reports STOPPED with the reason,
   * unless `quiet`: a replica that lost the lease to another must not report the bot
   * stopped after the new holder reported it running.
   */
  stop(reason: string, options?: { quiet?: boolean }): Promise<void>;
  readonly checks: Record<string, ReadinessCheck>;
}

export function createBotRunner(deps: BotRunnerDeps): BotRunner {
  const { config, logger } = deps;
  const apiCalls = createApiCallRecorder({
    bus: deps.bus,
    logger,
    meter: deps.meter,
    botId: deps.token.slice(0, deps.token.indexOf(':')),
    replica: deps.replica,
  });
  const telegram = createTelegramClient({
    token: deps.token,
    apiRoot: config.TELEGRAM_API_ROOT,
    limiter: deps.limiter,
    meter: deps.meter,
    onCall: (call) => apiCalls.record(call),
  });
  const chatSends = createChatSendSchedule();
  let stopping = false;
  let poller: Poller | undefined;
  let webhookSet = false;
  let actions: ConsumerHandle | undefined;
  let lookups: Subscription[] = [];
  let status: BotStatusReporter | undefined;
  let stopHeartbeat = () => {};

  return {
    checks: {
      actionsConsumer: () => actions?.attached() ?? false,
      polling: () => webhookSet || (poller?.running() ?? false),
    },

    async start() {
      const bot = await identify(telegram, logger, () => stopping);
      const log = logger.child({ botId: bot.botId, bot: bot.username });

      // Per-bot consumers are ensured by the gateway that runs the bot: the setup step
      // cannot know which bots exist.
      const spec = consumers.gatewayActions(bot.botId);
      await ensureConsumer(deps.jsm, spec, deps.names);
      const sends = createSendLedger(
        await openLeaseBucket(deps.js, bucketName(sendsBucket, deps.names)),
      );
      actions = runConsumer({
        js: deps.js,
        names: deps.names,
        spec,
        logger: log,
        meter: deps.meter,
        ...(deps.tracer ? { tracer: deps.tracer } : {}),
        decode: (msg) => decodeAction(msg.data),
        describe: (action) => `action ${action.kind.case ?? 'none'}`,
        handle: createActionExecutor({
          botId: bot.botId,
          telegram,
          bus: deps.bus,
          logger: log,
          meter: deps.meter,
          maxDeliver: spec.maxDeliver,
          chatSends,
          sends,
          migrations: createMigrationFollower({ botId: bot.botId, bus: deps.bus, logger: log }),
          chatAccess: createChatAccessReporter({
            botId: bot.botId,
            bus: deps.bus,
            telegram,
            logger: log,
          }),
        }),
      });
      lookups = serveLookups({
        nc: deps.nc,
        names: deps.names,
        botId: bot.botId,
        telegram,
        logger: log,
      });

      const reporter = createBotStatusReporter({
        bus: deps.bus,
        logger: log,
        botId: bot.botId,
        replica: deps.replica,
      });
      status = reporter;
      await reporter.running('started');
      stopHeartbeat = startHeartbeat(reporter, config.HEARTBEAT_INTERVAL_MS);

      const webhookBase = deps.webhookBaseUrl || config.WEBHOOK_BASE_URL;
      if (webhookBase) {
        // Updates arrive at the gateways' HTTP endpoint; whichever replica gets one stores it.
        await telegram.call('setWebhook', {
          url: webhookUrl(webhookBase, bot.botId),
          secret_token: webhookSecret(deps.token),
          allowed_updates: [...allowedUpdates],
        });
        webhookSet = true;
        log.info('bot gateway started (webhook)');
        return bot;
      }
      // A webhook left from webhook mode would make getUpdates fail with 409.
      await telegram
        .call('deleteWebhook', { drop_pending_updates: false })
        .catch((error: unknown) =>
          log.warn({ failure: classifyTelegramFailure(error) }, 'could not delete the webhook'),
        );
      let failing = false;
      poller = startPoller({
        telegram,
        logger: log,
        timeoutSeconds: config.POLL_TIMEOUT_SECONDS,
        intake: createUpdateIntake({
          bot,
          bus: deps.bus,
          telegram,
          logger: log,
          meter: deps.meter,
          isStopping: () => stopping,
        }),
        onHealthy: () => {
          if (!failing) return;
          failing = false;
          void reporter.running('polling recovered');
        },
        onFailure: (failure) => {
          if (failing) return;
          failing = true;
          const reason = `getUpdates failed: ${failure.kind === 'network' ? 'network' : failure.errorCode} ${failure.description}`;
          void reporter.error(reason);
        },
      });
      await poller.firstPoll;
      log.info('bot gateway started');
      return bot;
    },

    async stop(reason, options = {}) {
      stopping = true;
      await poller?.stop();
      stopHeartbeat();
      await actions?.stop();
      for (const sub of lookups) await sub.drain().catch(() => undefined);
      if (!options.quiet) await status?.stopped(reason);
      else logger.info({ reason }, 'bot stopped here');
      await apiCalls.flush(2000);
    },
  };
}

/** Telegram refused the bot's token: starting again with it cannot help. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
}

export interface Identified extends BotIdentity {
  readonly firstName: string;
}

/** getMe, retried while Telegram is unreachable; a refused token stops the start. */
export async function identify(
  telegram: TelegramClient,
  logger: Logger,
  stopping: () => boolean,
): Promise<Identified> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const me = await telegram.call('getMe', {}, { timeoutMs: 10_000 });
      return { botId: String(me.id), username: me.username, firstName: me.first_name };
    } catch (error) {
      const failure = classifyTelegramFailure(error);
      if (failure.kind === 'rejected') {
        throw new TokenRefusedError(
          `Telegram refused getMe (${failure.errorCode} ${failure.description}); check the bot's token`,
          {
            cause: error,
          },
        );
      }
      if (stopping()) throw new Error('stopped before the bot was identified', { cause: error });
      const wait = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      logger.warn({ failure, retryInMs: wait }, 'getMe failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
