// Runs the pure member rules against the world: gathers the facts a decision asks for
// (cache, Telegram look-ups, pending prompts, what Nezuko muted), then appends what it
// concluded (actions, `verify.decided`) and remembers what it did (mutes, active members,
// today's counts, jobs for later). Every id derives from the causing event.
import {
  create,
  TelegramUserSchema,
  VerificationOutcome,
  VerificationTrigger,
  type ActionExecuted,
  type ChannelMemberChanged,
  type JoinRequested,
  type MemberJoined,
  type MessageReceived,
  type TelegramUser,
  type VerifyPressed,
} from '@nezuko/proto';
import type { Logger } from '@nezuko/kit';
import type { Meter } from '@opentelemetry/api';
import {
  anyoneVerifyData,
  decideActivity,
  decideVerifyPress,
  joinButtons,
  type ActivityFacts,
  type Standing,
  type VerifyPressFacts,
} from './domain/decide.ts';
import { actionsFor, channelName, type Step } from './domain/facts.ts';
import { isProtected, type GroupConfig } from './domain/groups.ts';
import { decideJoinRequest, type JoinRequestFacts } from './domain/joinRequests.ts';
import { textsFor } from './domain/texts.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { MemberRecords, CountedOutcome } from './memberRecords.ts';
import type { MembershipChecker } from './membership.ts';
import type { MembershipCache } from './membershipCache.ts';
import type { Cause, Outbox } from './outbox.ts';
import type { PromptRegistry } from './promptRegistry.ts';
import type { Job, Scheduler } from './scheduler.ts';
import type { TelegramLookups } from './telegramLookups.ts';

export interface EnforcementTimings {
  readonly REPLY_DELETE_AFTER_SECONDS: number;
  readonly RECHECK_AFTER_SECONDS: number;
  readonly ACTIVE_WINDOW_SECONDS: number;
  readonly ATTACK_SUMMARY_DELAY_SECONDS: number;
  readonly RAID_JOIN_THRESHOLD: number;
  readonly RAID_WINDOW_SECONDS: number;
}

export interface EnforcementDeps {
  readonly groups: Pick<GroupFeed, 'get' | 'all'>;
  readonly checker: MembershipChecker;
  readonly lookups: TelegramLookups;
  readonly cache: MembershipCache;
  readonly prompts: PromptRegistry;
  readonly records: MemberRecords;
  readonly scheduler: Pick<Scheduler, 'schedule'>;
  readonly outbox: Outbox;
  readonly timings: EnforcementTimings;
  readonly logger: Logger;
  readonly meter: Meter;
  /** Wall clock in ms (timed mutes, due times, today's day). */
  readonly clock?: () => number;
}

type Decided = Extract<Step<string>, { kind: 'decided' }>;

export function createEnforcement(deps: EnforcementDeps) {
  const { groups, checker, prompts, records, outbox, logger, timings } = deps;
  const clock = deps.clock ?? Date.now;
  const decisions = deps.meter.createCounter('nezuko_verification_decisions_total', {
    description: 'Verification decisions by outcome and trigger',
  });
  const decisionSeconds = deps.meter.createHistogram('nezuko_verification_decision_seconds', {
    description: 'Time from taking a trigger to deciding, look-ups included',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  });
  const today = () => new Date(clock()).toISOString().slice(0, 10);

  /** Appends a decision's consequences and remembers them. */
  const commit = async (
    step: Decided,
    cause: Cause,
    group: GroupConfig | undefined,
    groupId: string,
    userId: string,
  ) => {
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
    if (effects.unmute || effects.removed) await records.forgetMuted(groupId, userId);
    if (step.outcome !== undefined)
      await records.count(groupId, today(), countedAs(step.outcome), cause.id);
    if (effects.underAttack && prompted && (await records.addAttacked(groupId, cause.id)) === 1) {
      await deps.scheduler.schedule(
        { kind: 'attack_summary', id: `${cause.id}:summary`, groupId },
        clock() + timings.ATTACK_SUMMARY_DELAY_SECONDS * 1000,
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

  const standingOf = async (group: GroupConfig, userId: string): Promise<Standing> => {
    const answer = await deps.lookups.getChatMember(group.botId, group.groupId, userId);
    if (!answer.ok) return { kind: 'error', reason: answer.reason };
    const mutedByNezuko = await records.isMuted(group.groupId, userId, Math.floor(clock() / 1000));
    switch (answer.status) {
      case 'creator':
      case 'administrator':
        return { kind: 'admin' };
      case 'member':
        return { kind: mutedByNezuko ? 'muted_by_nezuko' : 'member' };
      case 'restricted':
        if (!answer.isMember) return { kind: 'gone' };
        return { kind: mutedByNezuko ? 'muted_by_nezuko' : 'restricted_by_admin' };
      default:
        return { kind: 'gone' };
    }
  };

  /** One member check: a join, a message, or a recheck (left channel, reconciliation). */
  const check = async (
    cause: Cause,
    trigger: ActivityFacts['trigger'],
    group: GroupConfig,
    user: TelegramUser,
    senderChatId: string,
    messageId: string,
  ) => {
    const started = performance.now();
    const pending = await prompts.pending(group.groupId, user.id);
    let facts: ActivityFacts = {
      eventId: cause.id,
      trigger,
      group,
      user,
      senderChatId,
      messageId,
      // A prompt this very event caused (before a crash) does not count as standing.
      promptPending: pending !== undefined && pending.eventId !== cause.id,
      nowSeconds: Math.floor(clock() / 1000),
      raid:
        trigger === 'join' &&
        timings.RAID_JOIN_THRESHOLD > 0 &&
        (await records.countJoin(group.groupId, user.id, clock(), timings.RAID_WINDOW_SECONDS)) >
          timings.RAID_JOIN_THRESHOLD,
      latencyMs: 0,
    };
    for (;;) {
      const step = decideActivity({ ...facts, latencyMs: performance.now() - started });
      switch (step.kind) {
        case 'lookup':
          switch (step.lookup) {
            case 'admin':
              facts = { ...facts, admin: await checker.admin(group.botId, group.groupId, user.id) };
              continue;
            case 'membership':
              facts = {
                ...facts,
                // A recheck looks for what the cache may have missed.
                membership: await checker.channels(
                  group.botId,
                  group.channels,
                  user.id,
                  trigger === 'recheck',
                ),
              };
              continue;
            case 'standing':
              facts = { ...facts, standing: await standingOf(group, user.id) };
              continue;
            default:
              return assertNever(step.lookup);
          }
        case 'skip':
          logger.debug({ eventId: cause.id, reason: step.reason }, 'no decision needed');
          return;
        case 'decided':
          await commit(step, cause, group, group.groupId, user.id);
          if (step.outcome === VerificationOutcome.VERIFIED) {
            const now = clock();
            await records.touchActive(
              group.groupId,
              user,
              now,
              now + timings.RECHECK_AFTER_SECONDS * 1000,
            );
          }
          return;
        default:
          return assertNever(step);
      }
    }
  };

  const handleJob = async (job: Job) => {
    const cause = { id: job.id, correlationId: job.id };
    switch (job.kind) {
      case 'delete': {
        await outbox.actions(
          [actionsFor(job.id, job.botId, job.chatId).deleteMessage('delete', job.messageId)],
          cause,
        );
        return;
      }
      case 'verify_timeout': {
        const group = groups.get(job.groupId);
        const pending = await prompts.pending(job.groupId, job.userId);
        if (!isProtected(group) || pending?.eventId !== job.promptEventId) return;
        const act = actionsFor(job.id, group.botId, group.groupId);
        // Still unverified: escalate to removal (a ban when the group bans, else a kick).
        await outbox.actions(
          [
            act.remove(job.userId, group.settings.failureAction !== 'ban'),
            ...(pending.messageId !== '0'
              ? [act.deleteMessage('delete_prompt', pending.messageId)]
              : []),
          ],
          cause,
        );
        await records.forgetMuted(job.groupId, job.userId);
        await prompts.clear(job.groupId, job.userId);
        return;
      }
      case 'attack_summary': {
        const group = groups.get(job.groupId);
        const count = await records.takeAttacked(job.groupId);
        if (!isProtected(group) || count === 0) return;
        const texts = textsFor(group.settings.language);
        const act = actionsFor(job.id, group.botId, group.groupId);
        await outbox.actions(
          [
            act.reply(
              texts.attackSummary(count, group.channels.map(channelName).join(', ')),
              '0',
              [
                ...joinButtons(texts, group.channels),
                { text: texts.verifyButton, callbackData: anyoneVerifyData },
                // Not a command reply: it stays, its shared button is needed.
              ],
              'post',
            ),
          ],
          cause,
        );
        return;
      }
      default:
        return assertNever(job);
    }
  };

  const joinRequest = async (
    cause: Cause,
    group: GroupConfig,
    user: TelegramUser,
    userChatId: string,
    again: boolean,
  ) => {
    let facts: JoinRequestFacts = { eventId: cause.id, group, user, userChatId, again };
    for (;;) {
      const step = decideJoinRequest(facts);
      if (step.kind === 'lookup') {
        facts = {
          ...facts,
          membership: await checker.channels(group.botId, group.channels, user.id, again),
        };
        continue;
      }
      await outbox.actions(step.actions, cause);
      if (step.outcome === 'pending' && !again)
        await records.addJoinRequest(group.groupId, {
          userId: user.id,
          userChatId,
          firstName: user.firstName,
        });
      if (step.outcome !== 'pending') await records.forgetJoinRequest(group.groupId, user.id);
      return;
    }
  };

  return {
    handleJob,

    async onActivity(
      cause: Cause,
      trigger: 'join' | 'message',
      event: MemberJoined | MessageReceived,
    ) {
      const group = groups.get(event.groupId);
      if (!isProtected(group) || !event.user) return;
      await check(
        cause,
        trigger,
        group,
        event.user,
        'senderChatId' in event ? event.senderChatId : '0',
        trigger === 'message' ? event.messageId : '0',
      );
    },

    /** Looks at a member again without them doing anything. */
    async recheck(cause: Cause, group: GroupConfig, userId: string) {
      const known = await records.knownUser(group.groupId, userId);
      await check(cause, 'recheck', group, create(TelegramUserSchema, known), '0', '0');
    },

    async onVerifyPressed(cause: Cause, event: VerifyPressed) {
      const started = performance.now();
      if (!event.user) return;
      const group = groups.get(event.groupId);
      let facts: VerifyPressFacts = {
        eventId: cause.id,
        group,
        groupId: event.groupId,
        botId: event.botId,
        presser: event.user,
        targetUserId: event.targetUserId,
        callbackQueryId: event.callbackQueryId,
        promptMessageId: event.promptMessageId,
        latencyMs: 0,
      };
      for (;;) {
        const step = decideVerifyPress({ ...facts, latencyMs: performance.now() - started });
        switch (step.kind) {
          case 'lookup':
            if (step.lookup === 'muted')
              facts = {
                ...facts,
                mutedByNezuko: await records.isMuted(
                  event.groupId,
                  event.user.id,
                  Math.floor(clock() / 1000),
                ),
              };
            else
              facts = {
                ...facts,
                membership: await checker.channels(
                  event.botId,
                  group?.channels ?? [],
                  event.user.id,
                  true,
                ),
              };
            continue;
          case 'skip':
            return;
          case 'decided':
            await commit(step, cause, group, event.groupId, event.user.id);
            if (step.outcome === VerificationOutcome.VERIFIED) {
              const now = clock();
              await records.touchActive(
                event.groupId,
                event.user,
                now,
                now + timings.RECHECK_AFTER_SECONDS * 1000,
              );
            }
            return;
          default:
            return assertNever(step);
        }
      }
    },

    async onJoinRequested(cause: Cause, event: JoinRequested) {
      const group = groups.get(event.groupId);
      if (!isProtected(group) || !event.user) return;
      await joinRequest(cause, group, event.user, event.userChatId, false);
    },

    /** The reconciliation looks again at a request left pending. */
    async recheckJoinRequest(cause: Cause, group: GroupConfig, userId: string, userChatId: string) {
      await joinRequest(cause, group, create(TelegramUserSchema, { id: userId }), userChatId, true);
    },

    /**
     * A member joined or left a channel: the cached answer is now known, store it. Someone
     * who left is muted again in every group that requires the channel: on their next
     * message (the cache now says so), or at once when the group asks for it.
     */
    async onChannelMemberChanged(cause: Cause, event: ChannelMemberChanged) {
      const status = event.newStatus;
      if (inChannelStatuses.has(status)) {
        await deps.cache.setMember(event.channelId, event.userId, true);
        return;
      }
      if (!outOfChannelStatuses.has(status)) {
        await deps.cache.forgetMember(event.channelId, event.userId);
        return;
      }
      await deps.cache.setMember(event.channelId, event.userId, false);
      const since = clock() - timings.ACTIVE_WINDOW_SECONDS * 1000;
      for (const group of groups.all()) {
        if (!isProtected(group) || group.settings.leaveReaction !== 'at_once') continue;
        if (!group.channels.some((c) => c.id === event.channelId)) continue;
        if (!(await records.isActive(group.groupId, event.userId, since))) continue;
        const known = await records.knownUser(group.groupId, event.userId);
        await check(
          { id: `${cause.id}:${group.groupId}`, correlationId: cause.correlationId },
          'recheck',
          group,
          create(TelegramUserSchema, known),
          '0',
          '0',
        );
      }
    },

    /** Notes where a prompt or reply landed, schedules its deletion, or frees a failed prompt. */
    async onActionExecuted(event: ActionExecuted) {
      if (event.kind === 'prompt' && event.actionId.endsWith(promptSuffix)) {
        const causeId = event.actionId.slice(0, -promptSuffix.length);
        if (!event.ok) {
          await prompts.release(event.chatId, event.userId, causeId);
          return;
        }
        await prompts.recordMessage(event.chatId, event.userId, causeId, event.resultMessageId);
        const after = groups.get(event.chatId)?.settings.promptDeleteAfterSeconds ?? 0;
        if (after > 0) await scheduleDelete(event, after);
        return;
      }
      if (
        event.kind === 'sendText' &&
        event.ok &&
        event.actionId.endsWith(replySuffix) &&
        event.chatId.startsWith('-') &&
        timings.REPLY_DELETE_AFTER_SECONDS > 0
      )
        await scheduleDelete(event, timings.REPLY_DELETE_AFTER_SECONDS);
    },
  };

  async function scheduleDelete(event: ActionExecuted, afterSeconds: number) {
    await deps.scheduler.schedule(
      {
        kind: 'delete',
        id: `${event.actionId}:expired`,
        botId: event.botId,
        chatId: event.chatId,
        messageId: event.resultMessageId,
      },
      clock() + afterSeconds * 1000,
    );
  }
}

export type Enforcement = ReturnType<typeof createEnforcement>;

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

const promptSuffix = ':prompt';
const replySuffix = ':reply';
const inChannelStatuses = new Set(['creator', 'administrator', 'member', 'restricted']);
const outOfChannelStatuses = new Set(['left', 'kicked', 'restricted_left']);

function assertNever(value: never): never {
  throw new Error(`unhandled step ${JSON.stringify(value)}`);
}
