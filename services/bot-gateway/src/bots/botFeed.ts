// Follows the bots' registrations and lifecycle changes in NZ_EVENTS, from the beginning,
// through ordered (per-process) consumers, like verification's group feed: every replica
// sees every bot event, so each can contend for every bot. Two consumers, because
// nats-server 2.9 takes one filter subject per consumer and `nz.evt.bot.>` also holds the
// high-volume api_called and action_executed events that do not matter here.
import { decodeEvent, type Logger, type Naming } from '@nezuko/kit';
import type { ConsumerMessages, JetStreamClient } from '@nats-io/jetstream';
import { evolveBots, type BotFact, type BotRegistry } from './registry.ts';

export interface BotFeed {
  registry(): BotRegistry;
  /** Resolves once everything stored before the feed started is applied. */
  whenCaughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface BotFeedDeps {
  readonly js: JetStreamClient;
  readonly names: Naming;
  readonly logger: Logger;
  /** Called after each applied fact once caught up, and once on catching up. */
  readonly onChange: (registry: BotRegistry) => void;
}

export function startBotFeed(deps: BotFeedDeps): BotFeed {
  const log = deps.logger.child({ component: 'bot-feed' });
  let registry: BotRegistry = new Map();
  let stopped = false;
  let caughtUp = false;
  const followers = (['registered', 'lifecycle_changed'] as const).map((name) =>
    follow(
      deps,
      log,
      `nz.evt.bot.*.${name}`,
      () => stopped,
      (fact) => {
        registry = evolveBots(registry, fact);
        if (caughtUp) deps.onChange(registry);
      },
    ),
  );
  const whenCaughtUp = Promise.all(followers.map((f) => f.caughtUp)).then(() => {
    caughtUp = true;
    log.info({ bots: registry.size }, 'bot registrations replayed');
    deps.onChange(registry);
  });

  return {
    registry: () => registry,
    whenCaughtUp: () => whenCaughtUp,
    async stop() {
      stopped = true;
      await Promise.all(followers.map((f) => f.stop()));
    },
  };
}

function follow(
  deps: BotFeedDeps,
  log: Logger,
  subject: string,
  isStopped: () => boolean,
  apply: (fact: BotFact) => void,
): { caughtUp: Promise<void>; stop(): Promise<void> } {
  let applied = 0;
  let messages: ConsumerMessages | undefined;
  let markCaughtUp = () => {};
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

  const loop = async () => {
    while (!isStopped()) {
      try {
        const consumer = await deps.js.consumers.get(deps.names.stream('NZ_EVENTS'), {
          filter_subjects: deps.names.subject(subject),
          ...(applied > 0 ? { opt_start_seq: applied + 1 } : {}),
        });
        if ((await consumer.info(true)).num_pending === 0) markCaughtUp();
        messages = await consumer.consume();
        for await (const msg of messages) {
          const sequence = msg.info.streamSequence;
          try {
            const { event } = decodeEvent(msg.headers, msg.data);
            if (event.type === 'bot.registered' || event.type === 'bot.lifecycle_changed')
              apply({ ...event, sequence });
          } catch (error) {
            log.error({ err: error, sequence }, 'unreadable bot event skipped');
          }
          applied = sequence;
          if (msg.info.pending === 0) markCaughtUp();
          if (isStopped()) break;
        }
      } catch (error) {
        if (isStopped()) break;
        log.warn({ err: error }, 'bot feed interrupted; resuming');
      }
      if (!isStopped()) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const running = loop();
  return {
    caughtUp,
    async stop() {
      await messages?.close().catch(() => undefined);
      await running;
    },
  };
}
