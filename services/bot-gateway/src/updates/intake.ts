// Takes one raw update from Telegram to the event store. It resolves only once every fact
// the update yields is stored in JetStream; a failing publish (NATS down) is retried with
// backoff instead of dropped, because the poller confirms an update to Telegram only after
// this resolves. Malformed and uninteresting updates are counted and logged, never thrown.
import type { EventBus, Logger } from '@nezuko/kit';
import type { Meter } from '@opentelemetry/api';
import type { TelegramClient } from '../telegram/client.ts';
import { classifyTelegramFailure } from '../telegram/errors.ts';
import { translateUpdate, type BotIdentity, type TranslatedEvent } from './translate.ts';

/** The gateway is stopping and the update was not stored; it must not be confirmed. */
export class IntakeStoppedError extends Error {
  override readonly name = 'IntakeStoppedError';
}

export interface UpdateIntakeDeps {
  readonly bot: BotIdentity;
  readonly bus: EventBus;
  readonly telegram: TelegramClient;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly isStopping: () => boolean;
  readonly now?: () => Date;
  readonly maxRetryDelayMs?: number;
}

export type UpdateIntake = (raw: unknown) => Promise<void>;

export function createUpdateIntake(deps: UpdateIntakeDeps): UpdateIntake {
  const { bot, bus, telegram, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const maxRetryDelayMs = deps.maxRetryDelayMs ?? 5000;
  const updates = deps.meter.createCounter('nezuko_gateway_updates_total', {
    description:
      'Telegram updates received, by update kind and outcome (published, ignored, malformed, answered)',
  });
  const publishRetries = deps.meter.createCounter('nezuko_gateway_publish_retries_total', {
    description: 'Failed attempts to store a fact in JetStream that were retried',
  });

  const store = async (fact: TranslatedEvent) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await bus.publish(fact.type, fact.event, { id: fact.id, occurredAt: fact.occurredAt });
        return;
      } catch (error) {
        if (deps.isStopping())
          throw new IntakeStoppedError(`stopping before ${fact.id} was stored`);
        const delay = Math.min(maxRetryDelayMs, 100 * 2 ** Math.min(attempt, 10));
        publishRetries.add(1, { type: fact.type });
        logger.warn(
          { err: error, eventId: fact.id, attempt, retryInMs: delay },
          'storing a fact failed; retrying',
        );
        await sleep(delay);
      }
    }
  };

  return async (raw) => {
    const translation = translateUpdate(bot, raw, now());
    const kind = translation.updateKind;
    switch (translation.kind) {
      case 'events':
        for (const fact of translation.events) await store(fact);
        updates.add(1, { kind, outcome: 'published' });
        logger.debug(
          { updateId: translation.updateId, events: translation.events.map((e) => e.id) },
          'update stored',
        );
        return;
      case 'answer_callback':
        try {
          await telegram.call(
            'answerCallbackQuery',
            { callback_query_id: translation.callbackQueryId },
            { timeoutMs: 5000 },
          );
        } catch (error) {
          // Best effort: an unanswered foreign button only shows a spinner for a while.
          logger.warn(
            { updateId: translation.updateId, failure: classifyTelegramFailure(error) },
            'could not answer a callback query',
          );
        }
        updates.add(1, { kind, outcome: 'answered' });
        return;
      case 'ignored':
        updates.add(1, { kind, outcome: 'ignored' });
        logger.debug(
          { updateId: translation.updateId, reason: translation.reason },
          'update ignored',
        );
        return;
      case 'malformed':
        updates.add(1, { kind, outcome: 'malformed' });
        logger.warn(
          { updateId: translation.updateId, updateKind: kind, reason: translation.reason },
          'malformed update skipped',
        );
        return;
      default:
        return assertNever(translation);
    }
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled translation ${JSON.stringify(value)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
