// Appends what a member decision concluded and remembers it: the mute before it is sent,
// the actions, `verify.decided`, `verify.access_restored` when Nezuko lifts its mute,
// today's counts, and the jobs for later (the raid summary, the verify timeout). Every id
// derives from the causing event.
import {
  AccessRestoredSchema,
  create,
  VerificationOutcome,
  VerificationTrigger,
  type AccessRestoredReason,
  type TelegramUser,
} from '@nezuko/proto';
import type { Meter } from '@opentelemetry/api';
import type { Step } from './domain/facts.ts';
import type { GroupConfig } from './domain/groups.ts';
import type { CountedOutcome, MemberRecords } from './memberRecords.ts';
import type { Cause, Outbox } from './outbox.ts';
import type { PromptRegistry } from './promptRegistry.ts';
import type { Scheduler } from './scheduler.ts';

export type Decided = Extract<Step<string>, { kind: 'decided' }>;

export interface DecisionCommitDeps {
  readonly prompts: PromptRegistry;
  readonly records: MemberRecords;
  readonly scheduler: Pick<Scheduler, 'schedule'>;
  readonly outbox: Outbox;
  readonly meter: Meter;
  readonly attackSummaryDelaySeconds: number;
  readonly clock: () => number;
}

/** Where the decision applies: the group (its id even when unprotected) and the member. */
export interface DecisionTarget {
  readonly group: GroupConfig | undefined;
  readonly groupId: string;
  readonly botId: string;
  readonly user: TelegramUser;
}

export function createDecisionCommit(deps: DecisionCommitDeps) {
  const { prompts, records, outbox, clock } = deps;
  const decisions = deps.meter.createCounter('nezuko_verification_decisions_total', {
    description: 'Verification decisions by outcome and trigger',
  });
  const decisionSeconds = deps.meter.createHistogram('nezuko_verification_decision_seconds', {
    description: 'Time from taking a trigger to deciding, look-ups included',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  });
  const today = () => new Date(clock()).toISOString().slice(0, 10);

  const restoreAccess = async (
    step: Decided,
    cause: Cause,
    target: DecisionTarget,
    reason: AccessRestoredReason,
  ) => {
    const lift = step.actions.find((a) => a.kind.case === 'lift');
    await outbox.event(
      'verify.access_restored',
      create(AccessRestoredSchema, {
        groupId: target.groupId,
        botId: target.botId,
        user: target.user,
        reason,
        liftActionId: lift?.actionId ?? '',
      }),
      'restored',
      cause,
    );
  };

  return async (step: Decided, cause: Cause, target: DecisionTarget) => {
    const { group, groupId } = target;
    const userId = target.user.id;
    let actions = step.actions;
    let prompted = false;
    if (step.prompt === 'claim') {
      prompted = await prompts.claim(groupId, userId, cause.id);
      // Another trigger prompted this member a moment ago: mute, but do not prompt twice.
      if (!prompted) actions = actions.filter((a) => a.kind.case !== 'prompt');
    }
    const effects = step.effects ?? {};
    // Remember the mute before it is sent: a message slipping in before it lands must be
    // recognised as coming from a member Nezuko is muting.
    if (effects.muteUntil !== undefined)
      await records.recordMuted(groupId, userId, effects.muteUntil);
    await outbox.actions(actions, cause);
    if (step.decision) {
      await outbox.event('verify.decided', step.decision, 'decided', cause);
      const labels = {
        outcome: VerificationOutcome[step.decision.outcome],
        trigger: VerificationTrigger[step.decision.trigger],
      };
      decisions.add(1, labels);
      decisionSeconds.record(step.decision.latencyMs / 1000, labels);
    }
    if (effects.unmute !== undefined) await restoreAccess(step, cause, target, effects.unmute);
    if (effects.unmute !== undefined || effects.removed) await records.forgetMuted(groupId, userId);
    if (step.outcome !== undefined)
      await records.count(groupId, today(), countedAs(step.outcome), cause.id);
    if (effects.underAttack && prompted && (await records.addAttacked(groupId, cause.id)) === 1) {
      await deps.scheduler.schedule(
        { kind: 'attack_summary', id: `${cause.id}:summary`, groupId },
        clock() + deps.attackSummaryDelaySeconds * 1000,
      );
    }
    if (prompted && group && group.settings.verifyTimeoutSeconds > 0) {
      await deps.scheduler.schedule(
        {
          kind: 'verify_timeout',
          id: `${cause.id}:timeout`,
          groupId,
          userId,
          promptEventId: cause.id,
        },
        clock() + group.settings.verifyTimeoutSeconds * 1000,
      );
    }
    if (step.prompt === 'clear') await prompts.clear(groupId, userId);
  };
}

export type DecisionCommit = ReturnType<typeof createDecisionCommit>;

function countedAs(outcome: VerificationOutcome): CountedOutcome {
  switch (outcome) {
    case VerificationOutcome.VERIFIED:
      return 'verified';
    case VerificationOutcome.RESTRICTED:
      return 'restricted';
    case VerificationOutcome.EXEMPT:
      return 'exempt';
    case VerificationOutcome.ERROR:
    case VerificationOutcome.UNSPECIFIED:
      return 'error';
    default:
      return assertNever(outcome);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled outcome ${JSON.stringify(value)}`);
}
