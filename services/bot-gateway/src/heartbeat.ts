// The bot's lifecycle as events: RUNNING when it starts, a RUNNING (or ERROR) heartbeat
// with the uptime every interval so dashboards can tell a live bot from a silent one,
// ERROR with the reason while polling fails, RUNNING again on recovery, STOPPED on
// shutdown. Status events are best effort: a lost heartbeat is superseded by the next.
import { randomUUID } from 'node:crypto';
import type { EventBus, Logger } from '@nezuko/kit';
import { BotStatus, BotStatusChangedSchema, create } from '@nezuko/proto';

export interface BotStatusReporter {
  running(reason: string): Promise<void>;
  error(reason: string): Promise<void>;
  stopped(reason: string): Promise<void>;
  /** Publishes the current status again, with the uptime. */
  heartbeat(): Promise<void>;
  current(): BotStatus;
}

export interface BotStatusDeps {
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly botId: string;
  readonly replica: string;
  readonly now?: () => number;
}

export function createBotStatusReporter(deps: BotStatusDeps): BotStatusReporter {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  // Status events have no cause to derive an id from; a boot id plus a counter keeps
  // each distinct while a retried publish of the same one is still deduplicated.
  const bootId = randomUUID();
  let sequence = 0;
  let status = BotStatus.UNSPECIFIED;
  let reason = '';

  const publish = async (next: BotStatus, why: string) => {
    status = next;
    reason = why;
    sequence += 1;
    const id = `bot:${deps.botId}:status:${bootId}:${sequence}`;
    try {
      await deps.bus.publish(
        'bot.status_changed',
        create(BotStatusChangedSchema, {
          botId: deps.botId,
          status: next,
          reason: why,
          uptimeSeconds: Math.floor((now() - startedAt) / 1000),
          replica: deps.replica,
        }),
        { id },
      );
    } catch (error) {
      deps.logger.warn(
        { err: error, status: BotStatus[next], reason: why },
        'could not publish the bot status',
      );
    }
  };

  return {
    running: (why) => publish(BotStatus.RUNNING, why),
    error: (why) => publish(BotStatus.ERROR, why),
    stopped: (why) => publish(BotStatus.STOPPED, why),
    heartbeat: () => publish(status, status === BotStatus.ERROR ? reason : 'heartbeat'),
    current: () => status,
  };
}

/** Runs the heartbeat until the returned function is called. */
export function startHeartbeat(reporter: BotStatusReporter, intervalMs: number): () => void {
  const timer = setInterval(() => void reporter.heartbeat(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
