// Runs the pure member rules against the world: gathers the facts a decision asks for
// (cache, Telegram look-ups, pending prompts, what Nezuko muted), then commits what it
// concluded (decisionCommit.ts). Join requests (joinRequestFlow.ts) and the scheduler's
// jobs (scheduledJobs.ts) are parts of the member flow with their own modules.
import {
  create,
  TelegramUserSchema,
  VerificationOutcome,
  type ActionExecuted,
  type ChannelMemberChanged,
  type MemberJoined,
  type MessageReceived,
  type TelegramUser,
  type VerifyPressed,
} from '@nezuko/proto';
import type { Logger } from '@nezuko/kit';
import type { Meter } from '@opentelemetry/api';
import {
  decideActivity,
  decideVerifyPress,
  type ActivityFacts,
  type Standing,
  type VerifyPressFacts,
} from './domain/decide.ts';
import { isProtected, type GroupConfig } from './domain/groups.ts';
import { createDecisionCommit } from './decisionCommit.ts';
import type { GroupFeed } from './groupFeed.ts';
import { createJoinRequestFlow } from './joinRequestFlow.ts';
import type { MemberRecords } from './memberRecords.ts';
import type { MembershipChecker } from './membership.ts';
import type { MembershipCache } from './membershipCache.ts';
import type { Cause, Outbox } from './outbox.ts';
import type { PromptRegistry } from './promptRegistry.ts';
import { createScheduledJobs } from './scheduledJobs.ts';
import type { Scheduler } from './scheduler.ts';
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
  readonly groups: Pick<GroupFeed, 'get' | 'all' | 'currentId'>;
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

export function createEnforcement(deps: EnforcementDeps) {
  const { groups, checker, prompts, records, outbox, logger, timings } = deps;
  const clock = deps.clock ?? Date.now;
  const commit = createDecisionCommit({
    prompts,
    records,
    scheduler: deps.scheduler,
    outbox,
    meter: deps.meter,
    attackSummaryDelaySeconds: timings.ATTACK_SUMMARY_DELAY_SECONDS,
    clock,
  });
  const joinRequests = createJoinRequestFlow({ groups, checker, records, outbox });

  /**
   * The member's standing in the group. A join report that says they joined as a plain
   * member already answers it: in a raid that saves a Bot API call per joiner.
   */
  const standingOf = async (
    group: GroupConfig,
    userId: string,
    reportedStatus: string,
  ): Promise<Standing> => {
    const mutedByNezuko = () => records.isMuted(group.groupId, userId, Math.floor(clock() / 1000));
    if (reportedStatus === 'member')
      return { kind: (await mutedByNezuko()) ? 'muted_by_nezuko' : 'member' };
    const answer = await deps.lookups.getChatMember(group.botId, group.groupId, userId);
    if (!answer.ok) return { kind: 'error', reason: answer.reason };
    switch (answer.status) {
      case 'creator':
      case 'administrator':
        return { kind: 'admin' };
      case 'member':
        return { kind: (await mutedByNezuko()) ? 'muted_by_nezuko' : 'member' };
      case 'restricted':
        if (!answer.isMember) return { kind: 'gone' };
        return { kind: (await mutedByNezuko()) ? 'muted_by_nezuko' : 'restricted_by_admin' };
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
    /** The status the join report gave, '' when unknown. */
    reportedStatus = '',
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
              facts = { ...facts, standing: await standingOf(group, user.id, reportedStatus) };
              continue;
            default:
              return assertNever(step.lookup);
          }
        case 'skip':
          logger.debug({ eventId: cause.id, reason: step.reason }, 'no decision needed');
          return;
        case 'decided':
          await commit(step, cause, { group, groupId: group.groupId, botId: group.botId, user });
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

  return {
    handleJob: createScheduledJobs({ groups, prompts, records, outbox }),
    ...joinRequests,

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
        'status' in event ? event.status : '',
      );
    },

    /** Looks at a member again without them doing anything. */
    async recheck(cause: Cause, group: GroupConfig, userId: string) {
      const known = await records.knownUser(group.groupId, userId);
      await check(cause, 'recheck', group, create(TelegramUserSchema, known), '0', '0');
    },

    async onVerifyPressed(cause: Cause, event: VerifyPressed) {
      const started = performance.now();
      const presser = event.user;
      if (!presser) return;
      // A prompt posted before its basic group became a supergroup: the member is muted,
      // and remembered, under the group's new id; the prompt message stays in the old chat.
      const groupId = groups.currentId(event.groupId);
      const group = groups.get(groupId);
      let facts: VerifyPressFacts = {
        eventId: cause.id,
        group,
        groupId,
        botId: event.botId,
        presser,
        targetUserId: event.targetUserId,
        callbackQueryId: event.callbackQueryId,
        promptMessageId: event.promptMessageId,
        promptChatId: event.groupId,
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
                  groupId,
                  presser.id,
                  Math.floor(clock() / 1000),
                ),
              };
            else
              facts = {
                ...facts,
                membership: await checker.channels(
                  event.botId,
                  group?.channels ?? [],
                  presser.id,
                  true,
                ),
              };
            continue;
          case 'skip':
            return;
          case 'decided':
            await commit(step, cause, { group, groupId, botId: event.botId, user: presser });
            if (step.outcome === VerificationOutcome.VERIFIED) {
              const now = clock();
              await records.touchActive(
                groupId,
                presser,
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

const promptSuffix = ':prompt';
const replySuffix = ':reply';
const inChannelStatuses = new Set(['creator', 'administrator', 'member', 'restricted']);
const outOfChannelStatuses = new Set(['left', 'kicked', 'restricted_left']);

function assertNever(value: never): never {
  throw new Error(`unhandled step ${JSON.stringify(value)}`);
}
