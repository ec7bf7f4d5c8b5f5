// The verification rules, pure: given what is known about a member's activity in a
// protected group, either ask for the next fact (admin status, channel membership) or
// conclude with a decision and the Telegram actions it implies. Facts are asked for in
// order of cost, so exempt members never cost a Telegram call.
//
// Fail open: when Telegram cannot tell whether someone is a member (the bot lost its
// rights in a channel, say) the member is left alone and the decision says why, because
// muting people for Nezuko's own misconfiguration is worse than letting one through.
import { VerificationOutcome, VerificationTrigger, type TelegramUser } from '@nezuko/proto';
import {
  actionsFor,
  channelName,
  decision,
  failedChecks,
  joinUrl,
  missingChannels,
  telegramServiceUserId,
  type AdminCheck,
  type MembershipFacts,
  type Step,
} from './facts.ts';
import type { GroupConfig, LinkedChannel } from './groups.ts';

export const verifyCallbackData = (userId: string) => `nz:v:${userId}`;
export const verifyButtonText = "I've joined — verify";
export const notForYouText = 'This button is not for you.';
export const verifiedText = 'Verified — you can write now.';

export interface ActivityFacts {
  /** Nats-Msg-Id of the causing event; every derived id starts with it. */
  readonly eventId: string;
  readonly trigger: 'join' | 'message';
  readonly group: GroupConfig;
  readonly user: TelegramUser;
  /** The chat a message was sent on behalf of ('0' for none). */
  readonly senderChatId: string;
  /** The message to delete when the member may not write ('0' for joins). */
  readonly messageId: string;
  /** A prompt already stands for this member (from an earlier trigger). */
  readonly promptPending: boolean;
  readonly admin?: AdminCheck;
  readonly membership?: MembershipFacts;
  readonly latencyMs: number;
}

export function decideActivity(facts: ActivityFacts): Step<'admin' | 'membership'> {
  const { group, user, eventId } = facts;
  const trigger = facts.trigger === 'join' ? VerificationTrigger.JOIN : VerificationTrigger.MESSAGE;
  const conclude = (
    outcome: VerificationOutcome,
    reason: string,
    extra: Partial<Parameters<typeof decision>[0]> = {},
  ) => decision({ group, user, outcome, trigger, reason, latencyMs: facts.latencyMs, ...extra });
  const exempt = (reason: string): Step<never> => ({
    kind: 'decided',
    decision: conclude(VerificationOutcome.EXEMPT, reason),
    actions: [],
    prompt: 'keep',
  });

  const staticReason = staticExemption(facts);
  if (staticReason) return exempt(staticReason);
  // Telegram reports one join twice (chat_member and the service message); while a
  // prompt stands the second report adds nothing.
  if (facts.trigger === 'join' && facts.promptPending)
    return { kind: 'skip', reason: 'verification already pending' };

  if (!facts.admin) return { kind: 'lookup', lookup: 'admin' };
  if (facts.admin.kind === 'admin') return exempt('group_admin');
  if (facts.admin.kind === 'error') {
    return {
      kind: 'decided',
      decision: conclude(
        VerificationOutcome.ERROR,
        `could not check admin status: ${facts.admin.reason}`,
      ),
      actions: [],
      prompt: 'keep',
    };
  }

  if (!facts.membership) return { kind: 'lookup', lookup: 'membership' };
  const { checks, cached } = facts.membership;
  const failed = failedChecks(checks);
  if (failed !== '') {
    return {
      kind: 'decided',
      decision: conclude(
        VerificationOutcome.ERROR,
        `membership unknown, member left unrestricted: ${failed}`,
        { cached },
      ),
      actions: [],
      prompt: 'keep',
    };
  }
  const missing = missingChannels(checks);
  if (missing.length === 0) {
    return {
      kind: 'decided',
      decision: conclude(VerificationOutcome.VERIFIED, 'member of every linked channel', {
        cached,
      }),
      actions: [],
      prompt: 'keep',
    };
  }

  const act = actionsFor(eventId, group.botId, group.groupId);
  const actions = [
    ...(facts.trigger === 'message' && facts.messageId !== '0'
      ? [act.deleteMessage('delete', facts.messageId)]
      : []),
    act.restrict(user.id),
    ...(facts.promptPending ? [] : [promptAction(act, group, user, missing)]),
  ];
  return {
    kind: 'decided',
    decision: conclude(
      VerificationOutcome.RESTRICTED,
      `not a member of ${missing.map(channelName).join(', ')}`,
      {
        missing,
        cached,
      },
    ),
    actions,
    prompt: facts.promptPending ? 'keep' : 'claim',
  };
}

/** Exemptions visible in the event itself: no look-up needed. */
function staticExemption(facts: ActivityFacts): string | undefined {
  if (facts.user.id === telegramServiceUserId) return 'telegram_service_account';
  if (facts.senderChatId !== '0') {
    if (facts.senderChatId === facts.group.groupId) return 'anonymous_admin';
    if (facts.group.channels.some((c) => c.id === facts.senderChatId)) return 'linked_channel';
    // Posts on behalf of another chat cannot be muted per member.
    return 'sender_chat';
  }
  if (facts.user.isBot) return 'bot';
  return undefined;
}

export interface VerifyPressFacts {
  readonly eventId: string;
  /** The group's configuration; undefined or unprotected when protection was turned off. */
  readonly group: GroupConfig | undefined;
  readonly groupId: string;
  readonly botId: string;
  readonly presser: TelegramUser;
  readonly targetUserId: string;
  readonly callbackQueryId: string;
  readonly promptMessageId: string;
  /** Fresh answers from Telegram, never the cache: the member says they just joined. */
  readonly membership?: MembershipFacts;
  readonly latencyMs: number;
}

export function decideVerifyPress(facts: VerifyPressFacts): Step<'membership'> {
  const act = actionsFor(facts.eventId, facts.botId, facts.groupId);
  if (facts.presser.id !== facts.targetUserId) {
    return {
      kind: 'decided',
      decision: undefined,
      actions: [act.answer(facts.callbackQueryId, notForYouText)],
      prompt: 'keep',
    };
  }
  const conclude = (outcome: VerificationOutcome, reason: string, missing: LinkedChannel[] = []) =>
    decision({
      group: { groupId: facts.groupId, botId: facts.botId },
      user: facts.presser,
      outcome,
      trigger: VerificationTrigger.VERIFY_BUTTON,
      reason,
      missing,
      latencyMs: facts.latencyMs,
    });
  const release = (outcome: VerificationOutcome, reason: string): Step<never> => ({
    kind: 'decided',
    decision: conclude(outcome, reason),
    actions: [
      act.lift(facts.presser.id),
      act.deleteMessage('delete_prompt', facts.promptMessageId),
      act.answer(facts.callbackQueryId, verifiedText),
    ],
    prompt: 'clear',
  });

  const group = facts.group;
  if (!group || !group.enabled || group.channels.length === 0) {
    return release(VerificationOutcome.VERIFIED, 'the group is no longer protected');
  }
  if (!facts.membership) return { kind: 'lookup', lookup: 'membership' };
  const failed = failedChecks(facts.membership.checks);
  if (failed !== '')
    return release(VerificationOutcome.ERROR, `membership unknown, restriction lifted: ${failed}`);
  const missing = missingChannels(facts.membership.checks);
  if (missing.length === 0)
    return release(VerificationOutcome.VERIFIED, 'member of every linked channel');
  return {
    kind: 'decided',
    decision: conclude(
      VerificationOutcome.RESTRICTED,
      `still not a member of ${missing.map(channelName).join(', ')}`,
      missing,
    ),
    actions: [
      act.answer(
        facts.callbackQueryId,
        `You still need to join: ${missing.map(channelName).join(', ')}.`,
        true,
      ),
    ],
    prompt: 'keep',
  };
}

function promptAction(
  act: ReturnType<typeof actionsFor>,
  group: GroupConfig,
  user: TelegramUser,
  missing: readonly LinkedChannel[],
) {
  const who = user.username !== '' ? `@${user.username}` : user.firstName || 'Hi';
  const where = group.title !== '' ? group.title : 'this group';
  const text =
    `${who}, to write in ${where} please join ${missing.map(channelName).join(', ')}. ` +
    `Then press "${verifyButtonText}".`;
  const joinButtons = missing.flatMap((channel) => {
    const url = joinUrl(channel);
    return url
      ? [{ text: `Join ${channel.title !== '' ? channel.title : channelName(channel)}`, url }]
      : [];
  });
  return act.prompt(user.id, text, [
    ...joinButtons,
    { text: verifyButtonText, callbackData: verifyCallbackData(user.id) },
  ]);
}
