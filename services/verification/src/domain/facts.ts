// The facts the decisions are made from, and the helpers that turn a decision into the
// events and actions it implies. Everything here is pure data.
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  create,
  TelegramActionSchema,
  type AccessRestoredReason,
  VerificationDecidedSchema,
  type TelegramAction,
  type TelegramUser,
  type VerificationDecided,
  type VerificationOutcome,
  type VerificationTrigger,
} from '@nezuko/proto';
import type { GroupConfig, LinkedChannel } from './groups.ts';
import { textsFor } from './texts.ts';

/** Telegram's own account that posts channel messages forwarded into discussion groups. */
export const telegramServiceUserId = '777000';

export type AdminCheck =
  | { readonly kind: 'admin' }
  | { readonly kind: 'not_admin' }
  | { readonly kind: 'error'; readonly reason: string };

export type ChannelCheck =
  | { readonly channel: LinkedChannel; readonly state: 'member' | 'not_member' }
  | { readonly channel: LinkedChannel; readonly state: 'error'; readonly reason: string };

export interface MembershipFacts {
  readonly checks: readonly ChannelCheck[];
  /** True when every answer came from the cache. */
  readonly cached: boolean;
}

/** What a decision asks for next, or what it concluded. */
export type Step<Lookup extends string> =
  | { readonly kind: 'lookup'; readonly lookup: Lookup }
  | { readonly kind: 'skip'; readonly reason: string }
  | {
      readonly kind: 'decided';
      readonly decision: VerificationDecided | undefined;
      readonly actions: readonly TelegramAction[];
      /** Whether the handler should record a prompt as pending (on) or clear it (off). */
      readonly prompt: 'claim' | 'clear' | 'keep';
      /** For today's counts (also when no decision event is appended). */
      readonly outcome?: VerificationOutcome;
      /** What to remember about the member. */
      readonly effects?: Effects;
    };

export interface Effects {
  /** Nezuko muted the member (until this unix time, 0 = until verified). */
  readonly muteUntil?: number;
  /** Nezuko's mute is lifted, and why (for `verify.access_restored`). */
  readonly unmute?: AccessRestoredReason;
  /** Kicked or banned. */
  readonly removed?: boolean;
  /** Muted without a prompt during a raid: counts toward the one summary message. */
  readonly underAttack?: boolean;
}

/** Builds actions whose ids derive from the causing event: `<eventId>:<what>`. */
export function actionsFor(eventId: string, botId: string, chatId: string) {
  const action = (
    what: string,
    kind: MessageInitShape<typeof TelegramActionSchema>['kind'],
  ): TelegramAction =>
    create(TelegramActionSchema, { actionId: `${eventId}:${what}`, botId, chatId, kind });
  return {
    restrict: (userId: string, untilDate = 0) =>
      action('restrict', { case: 'restrict', value: { userId, untilDate } }),
    remove: (userId: string, kick: boolean) =>
      action('remove', { case: 'remove', value: { userId, kick, untilDate: 0 } }),
    lift: (userId: string) => action('lift', { case: 'lift', value: { userId } }),
    liftAs: (what: string, userId: string) => action(what, { case: 'lift', value: { userId } }),
    approveJoin: (userId: string) => action('approve', { case: 'approveJoin', value: { userId } }),
    declineJoin: (userId: string) => action('decline', { case: 'declineJoin', value: { userId } }),
    editText: (
      messageId: string,
      text: string,
      buttons: { text: string; url?: string; callbackData?: string }[],
    ) => action('edit', { case: 'editText', value: { messageId, text, buttons } }),
    deleteMessage: (what: string, messageId: string) =>
      action(what, { case: 'delete', value: { messageId } }),
    prompt: (
      userId: string,
      text: string,
      buttons: { text: string; url?: string; callbackData?: string }[],
    ) => action('prompt', { case: 'prompt', value: { userId, text, buttons } }),
    answer: (callbackQueryId: string, text: string, showAlert = false) =>
      action('answer', { case: 'answerCallback', value: { callbackQueryId, text, showAlert } }),
    reply: (
      text: string,
      replyToMessageId: string,
      buttons: { text: string; url?: string; callbackData?: string }[] = [],
      what = 'reply',
    ) => action(what, { case: 'sendText', value: { text, replyToMessageId, buttons } }),
  };
}

export interface DecisionInput {
  readonly group: Pick<GroupConfig, 'groupId' | 'botId'>;
  readonly user: TelegramUser | undefined;
  readonly outcome: VerificationOutcome;
  readonly trigger: VerificationTrigger;
  readonly reason: string;
  readonly missing?: readonly LinkedChannel[];
  readonly cached?: boolean;
  readonly latencyMs: number;
}

export function decision(input: DecisionInput): VerificationDecided {
  return create(VerificationDecidedSchema, {
    groupId: input.group.groupId,
    botId: input.group.botId,
    ...(input.user ? { user: input.user } : {}),
    outcome: input.outcome,
    trigger: input.trigger,
    missingChannelIds: (input.missing ?? []).map((c) => c.id),
    cached: input.cached ?? false,
    latencyMs: Math.max(0, Math.round(input.latencyMs)),
    reason: input.reason,
  });
}

export function missingChannels(checks: readonly ChannelCheck[]): LinkedChannel[] {
  return checks.filter((c) => c.state === 'not_member').map((c) => c.channel);
}

export function failedChecks(checks: readonly ChannelCheck[]): string {
  return checks
    .flatMap((c) => (c.state === 'error' ? [`${channelName(c.channel)}: ${c.reason}`] : []))
    .join('; ');
}

/**
 * How a channel is named to people: `@username` when public, its title otherwise (a
 * channel with neither, which Telegram does not allow, falls back to its id).
 */
export function channelName(channel: LinkedChannel): string {
  if (channel.username !== '') return `@${channel.username}`;
  return channel.title !== '' ? channel.title : textsFor('en').unnamedChannel(channel.id);
}

/** A link that opens the channel: its invite link, or t.me for a public channel. */
export function joinUrl(channel: LinkedChannel): string | undefined {
  if (channel.inviteLink !== '') return channel.inviteLink;
  if (channel.username !== '') return `https://t.me/${channel.username}`;
  return undefined;
}
