// A group's settings as the API shows them (snake_case, enums as words) and their
// mapping to the GroupSettings message. An update names only what changes; the rest
// keeps the value of the group's last group.settings_changed (or the defaults).
import {
  create,
  FailureAction,
  GroupSettingsSchema,
  JoinRequestPolicy,
  LeaveReaction,
  type GroupSettings,
} from '@nezuko/proto';
import { z } from 'zod';
import { telegramUserId } from './ids.ts';

const failureActions = {
  mute_until_verified: FailureAction.MUTE_UNTIL_VERIFIED,
  mute_for_minutes: FailureAction.MUTE_FOR_MINUTES,
  kick: FailureAction.KICK,
  ban: FailureAction.BAN,
} as const;
const joinPolicies = {
  decline: JoinRequestPolicy.DECLINE,
  leave_pending: JoinRequestPolicy.LEAVE_PENDING,
} as const;
const leaveReactions = {
  next_message: LeaveReaction.NEXT_MESSAGE,
  at_once: LeaveReaction.AT_ONCE,
} as const;

type Names<T> = keyof T & string;
const keys = <T extends object>(o: T) => Object.keys(o) as [Names<T>, ...Names<T>[]];

export const settingsView = z.strictObject({
  failure_action: z.enum(keys(failureActions)),
  mute_minutes: z.number().int().min(0).max(525_600),
  prompt_template: z
    .string()
    .max(2000)
    .refine((v) => !/\p{Cc}/u.test(v.replaceAll('\n', '')), 'must not contain control characters')
    .meta({ description: 'Placeholders {name} {group} {channels}; empty = the default text' }),
  prompt_delete_after_seconds: z.number().int().min(0).max(86_400),
  verify_timeout_seconds: z.number().int().min(0).max(604_800),
  whitelist_user_ids: z.array(telegramUserId).max(1000),
  under_attack: z.boolean(),
  language: z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language code'),
  check_bots: z.boolean(),
  join_request_policy: z.enum(keys(joinPolicies)),
  leave_reaction: z.enum(keys(leaveReactions)),
});

export type SettingsView = z.output<typeof settingsView>;

export const settingsPatch = settingsView.partial();

function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T & string {
  const found = Object.entries(table).find(([, v]) => v === value)?.[0];
  // Zero (unspecified) means the documented default: the first entry.
  return (found ?? Object.keys(table)[0]) as keyof T & string;
}

export function toView(settings: GroupSettings | undefined): SettingsView {
  const s = settings ?? create(GroupSettingsSchema, {});
  return {
    failure_action: nameOf(failureActions, s.failureAction),
    mute_minutes: s.muteMinutes,
    prompt_template: s.promptTemplate,
    prompt_delete_after_seconds: s.promptDeleteAfterSeconds,
    verify_timeout_seconds: s.verifyTimeoutSeconds,
    whitelist_user_ids: [...s.whitelistUserIds],
    under_attack: s.underAttack,
    language: s.language === '' ? 'en' : s.language,
    check_bots: s.checkBots,
    join_request_policy: nameOf(joinPolicies, s.joinRequestPolicy),
    leave_reaction: nameOf(leaveReactions, s.leaveReaction),
  };
}

export function toMessage(view: SettingsView): GroupSettings {
  return create(GroupSettingsSchema, {
    failureAction: failureActions[view.failure_action],
    muteMinutes: view.mute_minutes,
    promptTemplate: view.prompt_template,
    promptDeleteAfterSeconds: view.prompt_delete_after_seconds,
    verifyTimeoutSeconds: view.verify_timeout_seconds,
    whitelistUserIds: view.whitelist_user_ids,
    underAttack: view.under_attack,
    language: view.language,
    checkBots: view.check_bots,
    joinRequestPolicy: joinPolicies[view.join_request_policy],
    leaveReaction: leaveReactions[view.leave_reaction],
  });
}

/** `"12"`, `W/"12"` or `12` -> 12; `*` -> undefined (any); else null (malformed). */
export function parseIfMatch(header: string | undefined): number | undefined | null {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  return match?.[1] === undefined ? null : Number(match[1]);
}

export const etagOf = (seq: number) => `"${seq}"`;
