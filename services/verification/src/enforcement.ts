// Runs the pure decisions against the world: gathers the facts a decision asks for
// (cache, Telegram look-ups, pending prompts), then appends what it concluded: the
// Telegram actions and the `verify.decided` event. Every id derives from the causing
// event (`<eventId>:decided`, `<eventId>:restrict`, ...), so a redelivered event re-derives
// the same ids and JetStream drops the duplicates.
import type { Envelope } from '@nezuko/proto';
import {
  VerificationOutcome,
  VerificationTrigger,
  type ActionExecuted,
  type AdminCommandReceived,
  type ChannelMemberChanged,
  type MemberJoined,
  type MessageReceived,
  type TelegramAction,
  type VerificationDecided,
  type VerifyPressed,
} from '@nezuko/proto';
import type { EventBus, Logger } from '@nezuko/kit';
import type { Meter } from '@opentelemetry/api';
import { decideCommand, type CommandFacts } from './domain/commands.ts';
import {
  decideActivity,
  decideVerifyPress,
  type ActivityFacts,
  type VerifyPressFacts,
} from './domain/decide.ts';
import type { Step } from './domain/facts.ts';
import { isProtected } from './domain/groups.ts';
import type { GroupFeed } from './groupFeed.ts';
import type { MembershipChecker } from './membership.ts';
import type { MembershipCache } from './membershipCache.ts';
import type { PromptRegistry } from './promptRegistry.ts';
import type { TelegramLookups } from './telegramLookups.ts';

export interface EnforcementDeps {
  readonly groups: Pick<GroupFeed, 'get' | 'waitFor'>;
  readonly checker: MembershipChecker;
  readonly lookups: TelegramLookups;
  readonly cache: MembershipCache;
  readonly prompts: PromptRegistry;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly meter: Meter;
  readonly now?: () => number;
}

/** How long a command waits for its own group event to reach the in-memory configuration. */
const ownEventWaitMs = 2000;

export function createEnforcement(deps: EnforcementDeps) {
  const { groups, checker, prompts, bus, logger } = deps;
  const now = deps.now ?? (() => performance.now());
  const decisions = deps.meter.createCounter('nezuko_verification_decisions_total', {
    description: 'Verification decisions by outcome and trigger',
  });
  const decisionSeconds = deps.meter.createHistogram('nezuko_verification_decision_seconds', {
    description: 'Time from taking a trigger to deciding, look-ups included',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
  });

  const publishActions = async (actions: readonly TelegramAction[], cause: Envelope) => {
    for (const action of actions) {
      await bus.publishAction(action, {
        id: action.actionId,
        causationId: cause.id,
        correlationId: cause.correlationId,
      });
    }
  };

  const publishDecision = async (decided: VerificationDecided, cause: Envelope) => {
    await bus.publish('verify.decided', decided, {
      id: `${cause.id}:decided`,
      causationId: cause.id,
      correlationId: cause.correlationId,
    });
    const labels = {
      outcome: VerificationOutcome[decided.outcome],
      trigger: VerificationTrigger[decided.trigger],
    };
    decisions.add(1, labels);
    decisionSeconds.record(decided.latencyMs / 1000, labels);
  };

  const commit = async (
    step: Extract<Step<string>, { kind: 'decided' }>,
    cause: Envelope,
    groupId: string,
    userId: string,
  ) => {
    let actions = step.actions;
    if (step.prompt === 'claim' && !(await prompts.claim(groupId, userId, cause.id))) {
      // Another trigger prompted this member a moment ago: mute, but do not prompt twice.
      actions = actions.filter((a) => a.kind.case !== 'prompt');
    }
    await publishActions(actions, cause);
    if (step.decision) await publishDecision(step.decision, cause);
    if (step.prompt === 'clear') await prompts.clear(groupId, userId);
  };

  return {
    async onActivity(
      cause: Envelope,
      trigger: 'join' | 'message',
      event: MemberJoined | MessageReceived,
    ) {
      const started = now();
      const group = groups.get(event.groupId);
      if (!isProtected(group) || !event.user) return;
      const user = event.user;
      const pending = await prompts.pending(group.groupId, user.id);
      let facts: ActivityFacts = {
        eventId: cause.id,
        trigger,
        group,
        user,
        senderChatId: 'senderChatId' in event ? event.senderChatId : '0',
        messageId: trigger === 'message' ? event.messageId : '0',
        // A prompt this very event caused (before a crash) does not count as standing.
        promptPending: pending !== undefined && pending.eventId !== cause.id,
        latencyMs: 0,
      };
      for (;;) {
        const step = decideActivity({ ...facts, latencyMs: now() - started });
        switch (step.kind) {
          case 'lookup':
            if (step.lookup === 'admin')
              facts = {
                ...facts,
                admin: await checker.admin(group.botId, group.groupId, user.id, false),
              };
            else
              facts = {
                ...facts,
                membership: await checker.channels(group.botId, group.channels, user.id, false),
              };
            continue;
          case 'skip':
            logger.debug({ eventId: cause.id, reason: step.reason }, 'no decision needed');
            return;
          case 'decided':
            await commit(step, cause, group.groupId, user.id);
            return;
          default:
            return assertNever(step);
        }
      }
    },

    async onVerifyPressed(cause: Envelope, event: VerifyPressed) {
      const started = now();
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
        const step = decideVerifyPress({ ...facts, latencyMs: now() - started });
        switch (step.kind) {
          case 'lookup':
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
            await commit(step, cause, event.groupId, event.user.id);
            return;
          default:
            return assertNever(step);
        }
      }
    },

    async onCommand(cause: Envelope, event: AdminCommandReceived) {
      if (!event.user) return;
      let facts: CommandFacts = {
        eventId: cause.id,
        command: event.command,
        args: event.args,
        botId: event.botId,
        groupId: event.groupId,
        groupTitle: event.groupTitle,
        group: groups.get(event.groupId),
        user: event.user,
        senderChatId: event.senderChatId,
        messageId: event.messageId,
      };
      for (;;) {
        const step = decideCommand(facts);
        switch (step.kind) {
          case 'lookup': {
            const lookup = step.lookup;
            switch (lookup.kind) {
              case 'sender':
                facts = {
                  ...facts,
                  sender: await checker.admin(event.botId, event.groupId, event.user.id, true),
                };
                break;
              case 'channel': {
                const found = await deps.lookups.getChat(event.botId, lookup.query);
                facts = {
                  ...facts,
                  channel: found.ok
                    ? {
                        kind: 'found',
                        type: found.type,
                        channel: {
                          id: found.id,
                          title: found.title,
                          username: found.username,
                          inviteLink: found.inviteLink,
                        },
                      }
                    : { kind: 'not_found', reason: found.reason },
                };
                break;
              }
              default:
                return assertNever(lookup);
            }
            continue;
          }
          case 'ignore':
            logger.debug({ eventId: cause.id, reason: step.reason }, 'command ignored');
            return;
          case 'decided':
            if (step.linked) {
              const stored = await bus.publish('group.channel_linked', step.linked, {
                id: `${cause.id}:linked`,
                causationId: cause.id,
                correlationId: cause.correlationId,
              });
              // Members who join right after the reply must meet the new configuration.
              await groups.waitFor(stored.seq, ownEventWaitMs);
            }
            await publishActions(step.actions, cause);
            return;
          default:
            return assertNever(step);
        }
      }
    },

    /** A member joined or left a channel: the cached answer is now known, store it. */
    async onChannelMemberChanged(event: ChannelMemberChanged) {
      const status = event.newStatus;
      if (inChannelStatuses.has(status))
        await deps.cache.setMember(event.channelId, event.userId, true);
      else if (outOfChannelStatuses.has(status))
        await deps.cache.setMember(event.channelId, event.userId, false);
      else await deps.cache.forgetMember(event.channelId, event.userId);
    },

    /** Notes where a prompt landed, or frees the slot when it could not be sent. */
    async onActionExecuted(event: ActionExecuted) {
      if (event.kind !== 'prompt' || !event.actionId.endsWith(promptSuffix)) return;
      const causeId = event.actionId.slice(0, -promptSuffix.length);
      if (event.ok)
        await prompts.recordMessage(event.chatId, event.userId, causeId, event.resultMessageId);
      else await prompts.release(event.chatId, event.userId, causeId);
    },
  };
}

export type Enforcement = ReturnType<typeof createEnforcement>;

const promptSuffix = ':prompt';
const inChannelStatuses = new Set(['creator', 'administrator', 'member', 'restricted']);
const outOfChannelStatuses = new Set(['left', 'kicked', 'restricted_left']);

function assertNever(value: never): never {
  throw new Error(`unhandled step ${JSON.stringify(value)}`);
}
