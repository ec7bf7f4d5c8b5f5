// The verification rules, pure: given what is known about a member's activity in a
// protected group, either ask for the next fact (admin status, channel membership, the
// member's standing in the group) or conclude with a decision, the Telegram actions it
// implies and what to remember about the member. Facts are asked for in order of cost,
// so exempt members never cost a Telegram call.
//
// Fail open: when Telegram cannot tell whether someone is a member (the bot lost its
// rights in a channel, say) the member is left alone and the decision says why, because
// muting people for Nezuko's own misconfiguration is worse than letting one through.
//
// What Nezuko restores: it only ever restricts a plain member (a member a human admin
// restricted is left alone, not muted and not lifted), so lifting gives back exactly what
// a plain member has, the group's default permissions, never more.
import {
  AccessRestoredReason,
  VerificationOutcome,
  VerificationTrigger,
  type TelegramUser,
} from '@nezuko/proto';
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
import { fillTemplate, textsFor, type Catalogue } from './texts.ts';

export const verifyCallbackData = (userId: string) => `nz:v:${userId}`;
/** The verify button under an "under attack" summary: whoever Nezuko muted may press it. */
export const anyoneVerifyData = verifyCallbackData('0');

/** The member's own standing in the group, read before Nezuko restricts them. */
export type Standing =
  | { readonly kind: 'member' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'muted_by_nezuko' }
  | { readonly kind: 'restricted_by_admin' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'error'; readonly reason: string };

export interface ActivityFacts {
  /** Nats-Msg-Id of the causing event; every derived id starts with it. */
  readonly eventId: string;
  /** `recheck`: a left channel or the periodic reconciliation, not something the member did. */
  readonly trigger: 'join' | 'message' | 'recheck';
  readonly group: GroupConfig;
  readonly user: TelegramUser;
  /** The chat a message was sent on behalf of ('0' for none). */
  readonly senderChatId: string;
  /** The message to delete when the member may not write ('0' for joins). */
  readonly messageId: string;
  /** A prompt already stands for this member (from an earlier trigger). */
  readonly promptPending: boolean;
  /** Unix seconds, for timed mutes. */
  readonly nowSeconds: number;
  /** Joins are arriving faster than the raid threshold: behave as under attack. */
  readonly raid?: boolean;
  readonly admin?: AdminCheck;
  readonly membership?: MembershipFacts;
  readonly standing?: Standing;
  readonly latencyMs: number;
}

export function decideActivity(facts: ActivityFacts): Step<'admin' | 'membership' | 'standing'> {
  const { group, user, eventId } = facts;
  const { settings } = group;
  const texts = textsFor(settings.language);
  const trigger = activityTrigger(facts.trigger);
  // A recheck is a decision too (trigger RECHECK): the dashboard shows why a member who
  // did nothing was muted, and analytics tells it apart from what members did.
  const conclude = (
    outcome: VerificationOutcome,
    reason: string,
    extra: Partial<Parameters<typeof decision>[0]> = {},
  ) => decision({ group, user, outcome, trigger, reason, latencyMs: facts.latencyMs, ...extra });
  const leave = (outcome: VerificationOutcome, reason: string, cached = false): Step<never> => ({
    kind: 'decided',
    decision: conclude(outcome, reason, { cached }),
    actions: [],
    prompt: 'keep',
    outcome,
  });

  const staticReason = staticExemption(facts);
  if (staticReason) return leave(VerificationOutcome.EXEMPT, staticReason);
  // Telegram reports one join twice (chat_member and the service message); while a
  // prompt stands the second report adds nothing.
  if (facts.trigger === 'join' && facts.promptPending)
    return { kind: 'skip', reason: 'verification already pending' };

  if (!facts.admin) return { kind: 'lookup', lookup: 'admin' };
  if (facts.admin.kind === 'admin') return leave(VerificationOutcome.EXEMPT, 'group_admin');
  if (facts.admin.kind === 'error')
    return leave(VerificationOutcome.ERROR, `could not check admin status: ${facts.admin.reason}`);

  if (!facts.membership) return { kind: 'lookup', lookup: 'membership' };
  const { checks, cached } = facts.membership;
  const failed = failedChecks(checks);
  if (failed !== '')
    return leave(
      VerificationOutcome.ERROR,
      `membership unknown, member left unrestricted: ${failed}`,
      cached,
    );
  const missing = missingChannels(checks);
  if (missing.length === 0)
    return leave(VerificationOutcome.VERIFIED, 'member of every linked channel', cached);

  if (!facts.standing) return { kind: 'lookup', lookup: 'standing' };
  switch (facts.standing.kind) {
    // Promoted a moment ago: the cached admin list has not caught up yet.
    case 'admin':
      return leave(VerificationOutcome.EXEMPT, 'group_admin', cached);
    case 'restricted_by_admin':
      return leave(VerificationOutcome.EXEMPT, 'restricted_by_admin', cached);
    case 'gone':
      return { kind: 'skip', reason: 'no longer in the group' };
    case 'error':
      return leave(
        VerificationOutcome.ERROR,
        `could not read the member's standing: ${facts.standing.reason}`,
        cached,
      );
    case 'member':
    case 'muted_by_nezuko':
      break;
    default:
      return assertNever(facts.standing);
  }

  const act = actionsFor(eventId, group.botId, group.groupId);
  const deleteMessage =
    facts.trigger === 'message' && facts.messageId !== '0'
      ? [act.deleteMessage('delete', facts.messageId)]
      : [];
  const missingNames = missing.map(channelName).join(', ');
  const restricted = (
    reason: string,
    actions: Extract<Step<never>, { kind: 'decided' }>['actions'],
    extra: Partial<Extract<Step<never>, { kind: 'decided' }>> = {},
  ): Step<never> => ({
    kind: 'decided',
    decision: conclude(VerificationOutcome.RESTRICTED, reason, { missing, cached }),
    actions,
    prompt: 'keep',
    outcome: VerificationOutcome.RESTRICTED,
    ...extra,
  });

  if (settings.failureAction === 'kick' || settings.failureAction === 'ban') {
    const kick = settings.failureAction === 'kick';
    return restricted(
      `${kick ? 'kicked' : 'banned'}: not a member of ${missingNames}`,
      [...deleteMessage, act.remove(user.id, kick)],
      { effects: { removed: true } },
    );
  }
  const until =
    settings.failureAction === 'mute_for' ? facts.nowSeconds + settings.muteMinutes * 60 : 0;
  const mute = act.restrict(user.id, until);
  if (settings.underAttack || facts.raid === true) {
    // A raid: no prompt per joiner, one summary for all of them.
    return restricted(
      `muted silently (under attack): not a member of ${missingNames}`,
      [...deleteMessage, mute],
      // Claimed like a prompt, so Telegram's second report of the join adds nothing.
      {
        prompt: facts.promptPending ? 'keep' : 'claim',
        effects: { muteUntil: until, underAttack: true },
      },
    );
  }
  return restricted(
    `not a member of ${missingNames}`,
    [
      ...deleteMessage,
      mute,
      ...(facts.promptPending ? [] : [promptAction(act, texts, group, user, missing)]),
    ],
    { prompt: facts.promptPending ? 'keep' : 'claim', effects: { muteUntil: until } },
  );
}

function activityTrigger(trigger: ActivityFacts['trigger']): VerificationTrigger {
  switch (trigger) {
    case 'join':
      return VerificationTrigger.JOIN;
    case 'message':
      return VerificationTrigger.MESSAGE;
    case 'recheck':
      return VerificationTrigger.RECHECK;
    default:
      return assertNever(trigger);
  }
}

/** Exemptions visible in the event itself or the settings: no look-up needed. */
function staticExemption(facts: ActivityFacts): string | undefined {
  if (facts.user.id === telegramServiceUserId) return 'telegram_service_account';
  if (facts.senderChatId !== '0') {
    if (facts.senderChatId === facts.group.groupId) return 'anonymous_admin';
    if (facts.group.channels.some((c) => c.id === facts.senderChatId)) return 'linked_channel';
    // Posts on behalf of another chat cannot be muted per member.
    return 'sender_chat';
  }
  if (facts.user.isBot && !facts.group.settings.checkBots) return 'bot';
  if (facts.group.settings.whitelist.includes(facts.user.id)) return 'whitelisted';
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
  /**
   * The chat the pressed prompt is in: the group's, or the basic group's old id when the
   * prompt was posted before the group moved to a supergroup (its message stays there).
   */
  readonly promptChatId?: string;
  /** Whether Nezuko's mute of the presser stands in this group. */
  readonly mutedByNezuko?: boolean;
  /** Fresh answers from Telegram, never the cache: the member says they just joined. */
  readonly membership?: MembershipFacts;
  readonly latencyMs: number;
}

export function decideVerifyPress(facts: VerifyPressFacts): Step<'membership' | 'muted'> {
  const texts = textsFor(facts.group?.settings.language ?? 'en');
  const act = actionsFor(facts.eventId, facts.botId, facts.groupId);
  const deletePrompt = () =>
    actionsFor(facts.eventId, facts.botId, facts.promptChatId ?? facts.groupId).deleteMessage(
      'delete_prompt',
      facts.promptMessageId,
    );
  const answerOnly = (text: string, alert = false): Step<never> => ({
    kind: 'decided',
    decision: undefined,
    actions: [act.answer(facts.callbackQueryId, text, alert)],
    prompt: 'keep',
  });
  const anyone = facts.targetUserId === '0';
  if (!anyone && facts.presser.id !== facts.targetUserId) return answerOnly(texts.notForYou);
  // Only someone Nezuko muted is released: never lift a restriction a human admin set
  // (who restricted the member after Nezuko did takes the member over).
  if (facts.mutedByNezuko === undefined) return { kind: 'lookup', lookup: 'muted' };
  if (!facts.mutedByNezuko) {
    if (anyone) return answerOnly(texts.notMutedByMe);
    return {
      kind: 'decided',
      decision: undefined,
      actions: [deletePrompt(), act.answer(facts.callbackQueryId, texts.notMutedByMe)],
      prompt: 'clear',
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
  const release = (
    outcome: VerificationOutcome,
    reason: string,
    restored: AccessRestoredReason,
  ): Step<never> => ({
    kind: 'decided',
    decision: conclude(outcome, reason),
    actions: [
      act.lift(facts.presser.id),
      // The summary under attack stays for the others; a member's own prompt goes.
      ...(anyone ? [] : [deletePrompt()]),
      act.answer(facts.callbackQueryId, texts.verified),
    ],
    prompt: 'clear',
    outcome,
    effects: { unmute: restored },
  });

  const group = facts.group;
  if (!group || !group.enabled || group.channels.length === 0) {
    return release(
      VerificationOutcome.VERIFIED,
      'the group is no longer protected',
      AccessRestoredReason.PROTECTION_OFF,
    );
  }
  if (!facts.membership) return { kind: 'lookup', lookup: 'membership' };
  const failed = failedChecks(facts.membership.checks);
  if (failed !== '')
    return release(
      VerificationOutcome.ERROR,
      `membership unknown, restriction lifted: ${failed}`,
      AccessRestoredReason.MEMBERSHIP_UNKNOWN,
    );
  const missing = missingChannels(facts.membership.checks);
  if (missing.length === 0)
    return release(
      VerificationOutcome.VERIFIED,
      'member of every linked channel',
      AccessRestoredReason.VERIFIED,
    );
  const names = missing.map(channelName).join(', ');
  return {
    kind: 'decided',
    decision: conclude(VerificationOutcome.RESTRICTED, `still not a member of ${names}`, missing),
    actions: [act.answer(facts.callbackQueryId, texts.stillMissing(names), true)],
    prompt: 'keep',
    outcome: VerificationOutcome.RESTRICTED,
  };
}

/** The join buttons for the channels a member is missing, as the prompt shows them. */
export function joinButtons(
  texts: Catalogue,
  missing: readonly LinkedChannel[],
): { text: string; url: string }[] {
  return missing.flatMap((channel) => {
    const url = joinUrl(channel);
    return url
      ? [
          {
            text: texts.joinButton(channel.title !== '' ? channel.title : channelName(channel)),
            url,
          },
        ]
      : [];
  });
}

export function promptText(
  texts: Catalogue,
  group: GroupConfig,
  user: TelegramUser,
  missing: readonly LinkedChannel[],
): string {
  const name = user.username !== '' ? `@${user.username}` : user.firstName || texts.fallbackName;
  const where = group.title !== '' ? group.title : texts.thisGroup;
  const channels = missing.map(channelName).join(', ');
  const template = group.settings.promptTemplate;
  return template !== ''
    ? fillTemplate(template, { name, group: where, channels })
    : texts.prompt(name, where, channels);
}

function promptAction(
  act: ReturnType<typeof actionsFor>,
  texts: Catalogue,
  group: GroupConfig,
  user: TelegramUser,
  missing: readonly LinkedChannel[],
) {
  return act.prompt(user.id, promptText(texts, group, user, missing), [
    ...joinButtons(texts, missing),
    { text: texts.verifyButton, callbackData: verifyCallbackData(user.id) },
  ]);
}

function assertNever(value: never): never {
  throw new Error(`unhandled standing ${JSON.stringify(value)}`);
}
