// Long polling for one bot. The gateway owns the offset instead of telegraf's Polling
// loop because telegraf confirms a whole batch when its loop ends (error or stop), even
// updates whose facts were never stored, and retries network failures silently. Here an
// update is confirmed (next getUpdates offset) only after the intake resolved for it, and
// every failure is reported so the bot's status can say ERROR with the reason.
import type { Logger } from '@nezuko/kit';
import type { TelegramClient } from '../telegram/client.ts';
import { classifyTelegramFailure, type TelegramFailure } from '../telegram/errors.ts';
import { IntakeStoppedError, type UpdateIntake } from './intake.ts';

export const allowedUpdates = [
  'message',
  'callback_query',
  'chat_member',
  'my_chat_member',
  'chat_join_request',
] as const;

export interface PollerDeps {
  readonly telegram: TelegramClient;
  readonly intake: UpdateIntake;
  readonly logger: Logger;
  readonly timeoutSeconds: number;
  /** Called after each successful getUpdates. */
  readonly onHealthy: () => void;
  /** Called after each failed getUpdates, with a reason safe to publish. */
  readonly onFailure: (failure: TelegramFailure) => void;
  readonly maxBackoffMs?: number;
}

export interface Poller {
  /**
   * Settles after the first getUpdates answered (or failed): from then on Telegram filters
   * by our allowed_updates, so a bot seen for the first time misses no chat_member update.
   */
  readonly firstPoll: Promise<void>;
  /** True while the loop runs (it keeps running through failures). */
  running(): boolean;
  /** Aborts the long poll, lets the update in hand finish storing, confirms what was stored. */
  stop(): Promise<void>;
}

export function startPoller(deps: PollerDeps): Poller {
  const { telegram, logger } = deps;
  const abort = new AbortController();
  let offset = 0;
  let running = true;
  let firstPollDone = false;
  let markPolled = () => {};
  const firstPoll = new Promise<void>((resolve) => (markPolled = resolve));
  const polled = () => {
    firstPollDone = true;
    markPolled();
  };

  const loop = async () => {
    let failures = 0;
    while (!abort.signal.aborted) {
      let batch: unknown[];
      try {
        // After a failure, ask without holding so recovery is known at once; the first
        // request does not hold either, so the start knows when it was applied.
        const hold = failures > 0 || !firstPollDone ? 0 : deps.timeoutSeconds;
        batch = await telegram.call(
          'getUpdates',
          { offset, timeout: hold, allowed_updates: allowedUpdates },
          { signal: abort.signal, timeoutMs: (deps.timeoutSeconds + 15) * 1000 },
        );
      } catch (error) {
        polled();
        if (abort.signal.aborted) break;
        failures += 1;
        const failure = classifyTelegramFailure(error);
        deps.onFailure(failure);
        const wait =
          failure.kind === 'rate_limited'
            ? failure.retryAfterSeconds * 1000
            : Math.min(deps.maxBackoffMs ?? 30_000, 500 * 2 ** Math.min(failures - 1, 10));
        logger.warn({ failure, retryInMs: wait }, 'getUpdates failed; retrying');
        await sleep(wait, abort.signal);
        continue;
      }
      polled();
      failures = 0;
      deps.onHealthy();
      if (!Array.isArray(batch)) {
        logger.warn('getUpdates returned something other than a list; ignoring it');
        continue;
      }
      for (const raw of batch) {
        try {
          await deps.intake(raw);
        } catch (error) {
          if (error instanceof IntakeStoppedError) return;
          // The intake does not throw otherwise; if it does, skipping one update beats
          // stopping the bot.
          logger.error({ err: error }, 'update intake failed unexpectedly; update skipped');
        }
        const id = (raw as { update_id?: unknown } | null)?.update_id;
        if (typeof id === 'number' && Number.isSafeInteger(id) && id >= offset) offset = id + 1;
      }
    }
  };

  const done = loop()
    .catch((error: unknown) => logger.error({ err: error }, 'poller stopped unexpectedly'))
    .finally(() => {
      running = false;
      polled();
    });

  return {
    firstPoll,
    running: () => running,
    async stop() {
      abort.abort();
      await done;
      if (offset === 0) return;
      // Confirm what was stored, so a restart does not fetch it again (it would be
      // deduplicated anyway; this saves the work).
      await telegram
        .call('getUpdates', { offset, limit: 1, timeout: 0 }, { timeoutMs: 2000 })
        .catch((error: unknown) =>
          logger.debug({ failure: classifyTelegramFailure(error) }, 'could not confirm the offset'),
        );
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
