// Executes actions from the bot's NZ_ACTIONS consumer and publishes each outcome as
// `bot.action_executed` (id `<action_id>:done`). What a failure means decides what happens
// to the message:
//   rate limited (429)      nak after exactly retry_after; no event until it finally fails
//   network / Telegram 5xx  throw: the consumer naks with backoff
//   other 4xx               publish the failure and ack: retrying will not help
// On the last allowed delivery a transient failure is published too, then the consumer
// dead-letters the action, so the outcome is never silent.
//
// A nak lets later actions overtake the one waiting, so a restrict held back by a 429 could
// land after the lift that followed it and mute a verified member again. Restrict and lift
// of one member therefore apply in stream order: one older than the last applied is
// skipped as superseded.
//
// A send (prompt, reply) is never repeated: its outcome is kept across replicas in
// NZ_SENDS (sendLedger.ts), so the replica that takes over a redelivered send stores the
// earlier outcome instead of posting a second message.
import {
  PoisonMessageError,
  RetryLaterError,
  type Delivery,
  type EventBus,
  type Logger,
} from '@nezuko/kit';
import {
  ActionExecutedSchema,
  create,
  GroupBotLeftSchema,
  GroupSyncedSchema,
  type ActionExecuted,
  type TelegramAction,
} from '@nezuko/proto';
import type { Meter } from '@opentelemetry/api';
import type { TelegramClient } from '../telegram/client.ts';
import type { ChatAccessReporter } from '../telegram/chatAccess.ts';
import type { ChatSendSchedule } from '../telegram/chatSends.ts';
import type { MigrationFollower } from '../telegram/migration.ts';
import { isTransient } from '../telegram/errors.ts';
import { performAction, type Performed } from './perform.ts';
import { isSend, type SendLedger } from './sendLedger.ts';

export interface ActionExecutorDeps {
  readonly botId: string;
  readonly telegram: TelegramClient;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly meter: Meter;
  /** The consumer's max_deliver: the delivery on which a transient failure becomes final. */
  readonly maxDeliver: number;
  /** Spreads message sends to stay within Telegram's per-chat limit (queued, never dropped). */
  readonly chatSends?: ChatSendSchedule;
  /** Marks chats where the bot lost its access (kicked, not admin...) and tells admins once. */
  readonly chatAccess?: ChatAccessReporter;
  /** Follows a group to its new supergroup id and re-queues the action there. */
  readonly migrations?: MigrationFollower;
  /** Outcomes of sends, shared by the replicas, so a redelivered send is not posted twice. */
  readonly sends?: SendLedger;
}

/** Outcomes already obtained from Telegram but maybe not yet stored or acked. */
const rememberedOutcomes = 1000;
/** Members whose last applied restrict/lift position is remembered. */
const rememberedMembers = 10_000;

export function createActionExecutor(
  deps: ActionExecutorDeps,
): (delivery: Delivery<TelegramAction>) => Promise<void> {
  const { bus, logger } = deps;
  const executed = deps.meter.createCounter('nezuko_gateway_actions_total', {
    description: 'Actions handled, by kind and outcome (ok, failed, retried, superseded, queued)',
  });
  // When storing the outcome (or the ack) fails after Telegram already did the work, the
  // action comes back; repeating a sendMessage would post a second prompt. Remember the
  // outcome and store that instead of calling Telegram again (with the group fact a leave
  // or sync publishes: a second leaveChat would fail, the bot being gone).
  const outcomes = new Map<string, { outcome: ActionExecuted; performed: Performed }>();
  const remember = (outcome: ActionExecuted, performed: Performed) => {
    outcomes.set(outcome.actionId, { outcome, performed });
    if (outcomes.size > rememberedOutcomes) outcomes.delete(outcomes.keys().next().value ?? '');
  };

  // `<chatId>:<userId>` -> stream sequence of the last restrict or lift applied.
  const memberOrder = new Map<string, number>();
  const memberKey = (action: TelegramAction) =>
    action.kind.case === 'restrict' || action.kind.case === 'lift'
      ? `${action.chatId}:${action.kind.value.userId}`
      : undefined;

  const store = async (outcome: ActionExecuted, performed: Performed, causationId: string) => {
    remember(outcome, performed);
    await bus.publish('bot.action_executed', outcome, {
      id: `${outcome.actionId}:done`,
      causationId,
    });
  };

  return async ({ value: action, deliveryCount, streamSequence }) => {
    if (action.botId !== deps.botId) {
      throw new PoisonMessageError(
        `action ${action.actionId} is for bot ${action.botId}, not ${deps.botId}`,
      );
    }
    const kind = action.kind.case ?? 'none';
    const known = outcomes.get(action.actionId);
    if (known) {
      if (known.performed.ok) await publishGroupFact(bus, action, known.performed);
      await store(known.outcome, known.performed, action.actionId);
      return;
    }
    const member = memberKey(action);
    if (member !== undefined && (memberOrder.get(member) ?? 0) > streamSequence) {
      logger.info(
        { actionId: action.actionId, kind },
        'superseded by a later restrict/lift of the member; skipped',
      );
      executed.add(1, { kind, outcome: 'superseded' });
      await store(
        outcomeEvent(action, supersededPerformance, 0),
        supersededPerformance,
        action.actionId,
      );
      return;
    }
    const sendWait = deps.chatSends?.waitFor(action, Date.now()) ?? 0;
    if (sendWait > 0) {
      executed.add(1, { kind, outcome: 'queued' });
      throw new RetryLaterError(`chat ${action.chatId} is at its send limit; queued`, sendWait);
    }
    const ledger = isSend(action.kind.case) ? deps.sends : undefined;
    const earlier = await ledger?.begin(action.actionId);
    if (earlier?.state === 'done') {
      await store(earlier.outcome, performedAs(earlier.outcome), action.actionId);
      return;
    }
    if (earlier?.state === 'interrupted') {
      logger.warn(
        { actionId: action.actionId, kind },
        'a replica died while sending this; not sent again',
      );
      executed.add(1, { kind, outcome: 'failed' });
      const outcome = outcomeEvent(action, interruptedPerformance, 0);
      await ledger?.finish(outcome);
      await store(outcome, interruptedPerformance, action.actionId);
      return;
    }
    const started = performance.now();
    const performed = await performAction(deps.telegram, action);
    if (performed.ok) deps.chatSends?.sent(action, Date.now());
    if (member !== undefined && performed.ok) {
      memberOrder.delete(member);
      memberOrder.set(member, streamSequence);
      if (memberOrder.size > rememberedMembers)
        memberOrder.delete(memberOrder.keys().next().value ?? '');
    }
    const latencyMs = Math.round(performance.now() - started);
    const outcome = outcomeEvent(action, performed, latencyMs);
    const log = logger.child({
      actionId: action.actionId,
      kind,
      method: performed.method,
      latencyMs,
    });

    if (performed.ok || !isTransient(performed.failure)) {
      if (performed.ok) {
        log.debug({ note: performed.note }, 'action done');
        remember(outcome, performed);
        await publishGroupFact(bus, action, performed);
      } else {
        log.warn({ failure: performed.failure }, 'Telegram refused the action');
        await deps.chatAccess?.observe(action, performed.method, performed.failure);
        await deps.migrations?.observe(action, performed.failure);
      }
      executed.add(1, { kind, outcome: performed.ok ? 'ok' : 'failed' });
      await ledger?.finish(outcome);
      await store(outcome, performed, action.actionId);
      return;
    }
    const failure = performed.failure;
    if (deliveryCount >= deps.maxDeliver) {
      log.error({ failure, deliveryCount }, 'action failed on its last attempt');
      executed.add(1, { kind, outcome: 'failed' });
      await ledger?.finish(outcome);
      await store(outcome, performed, action.actionId);
      throw new Error(`gave up after ${deliveryCount} attempts: ${failure.description}`);
    }
    executed.add(1, { kind, outcome: 'retried' });
    await ledger?.retryable(action.actionId);
    if (failure.kind === 'rate_limited') {
      log.info(
        { retryAfterSeconds: failure.retryAfterSeconds },
        'rate limited by Telegram; retrying after the wait',
      );
      throw new RetryLaterError(`429: ${failure.description}`, failure.retryAfterSeconds * 1000);
    }
    throw new Error(`${performed.method} failed (${failure.kind}): ${failure.description}`);
  };
}

/**
 * What a done leave or sync tells the rest of the system: group.bot_left (the group is
 * no longer served) or group.synced (the fresh titles and counts). Published before the
 * outcome, with ids from the action, so a redelivery re-publishes the same ids.
 */
async function publishGroupFact(
  bus: EventBus,
  action: TelegramAction,
  performed: Performed & { ok: true },
): Promise<void> {
  const base = { groupId: action.chatId, botId: action.botId, actionId: action.actionId };
  if (action.kind.case === 'leave') {
    await bus.publish('group.bot_left', create(GroupBotLeftSchema, base), {
      id: `${action.actionId}:left`,
      causationId: action.actionId,
    });
  } else if (action.kind.case === 'sync' && performed.snapshot) {
    const { title, memberCount, channels } = performed.snapshot;
    await bus.publish(
      'group.synced',
      create(GroupSyncedSchema, { ...base, title, memberCount, channels: [...channels] }),
      { id: `${action.actionId}:synced`, causationId: action.actionId },
    );
  }
}

const supersededPerformance: Performed = {
  ok: false,
  method: '',
  failure: {
    kind: 'rejected',
    errorCode: 0,
    description: 'superseded by a later restrict/lift of this member',
  },
};

const interruptedPerformance: Performed = {
  ok: false,
  method: '',
  failure: {
    kind: 'rejected',
    errorCode: 0,
    description:
      'a gateway replica stopped while sending this; not sent again, it may have been posted',
  },
};

/** A send's stored outcome as a performance (sends publish no group fact). */
function performedAs(outcome: ActionExecuted): Performed {
  return outcome.ok
    ? {
        ok: true,
        method: outcome.method,
        resultMessageId: outcome.resultMessageId,
        note: outcome.description,
      }
    : {
        ok: false,
        method: outcome.method,
        failure: {
          kind: 'rejected',
          errorCode: outcome.errorCode,
          description: outcome.description,
        },
      };
}

function outcomeEvent(
  action: TelegramAction,
  performed: Performed,
  latencyMs: number,
): ActionExecuted {
  const kind = action.kind;
  const userId =
    kind.case === 'restrict' ||
    kind.case === 'lift' ||
    kind.case === 'prompt' ||
    kind.case === 'approveJoin' ||
    kind.case === 'declineJoin' ||
    kind.case === 'remove' ||
    kind.case === 'unban'
      ? kind.value.userId
      : '0';
  const failure = performed.ok ? undefined : performed.failure;
  return create(ActionExecutedSchema, {
    actionId: action.actionId,
    botId: action.botId,
    chatId: action.chatId,
    userId,
    kind: kind.case ?? '',
    method: performed.method,
    ok: performed.ok,
    errorCode: failure && failure.kind !== 'network' ? failure.errorCode : 0,
    description: performed.ok ? performed.note : (failure?.description ?? ''),
    latencyMs,
    resultMessageId:
      performed.ok && performed.resultMessageId !== '' ? performed.resultMessageId : '0',
  });
}
