// The group settings form: its text fields turned into the PUT body (only what changed),
// checked the way the command API checks them so most mistakes show before a round trip,
// and the prompt preview members will see. The server stays the authority: its 400
// names a field and the form shows that message in the same place.
import type { GroupSettings } from '../api/groups.ts';

/** What the inputs hold: numbers and the whitelist as typed text. */
export interface SettingsDraft {
  failure_action: GroupSettings['failure_action'];
  mute_minutes: string;
  prompt_template: string;
  prompt_delete_after_seconds: string;
  verify_timeout_seconds: string;
  whitelist: string;
  under_attack: boolean;
  language: string;
}

export type DraftField = keyof SettingsDraft;
export type FieldErrors = Partial<Record<DraftField, string>>;

export function draftOf(s: GroupSettings): SettingsDraft {
  return {
    failure_action: s.failure_action,
    mute_minutes: String(s.mute_minutes),
    prompt_template: s.prompt_template,
    prompt_delete_after_seconds: String(s.prompt_delete_after_seconds),
    verify_timeout_seconds: String(s.verify_timeout_seconds),
    whitelist: s.whitelist_user_ids.join('\n'),
    under_attack: s.under_attack,
    language: s.language,
  };
}

function wholeNumber(text: string, max: number): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'must be a whole number';
  const n = Number(t);
  return n > max ? `must be at most ${max.toLocaleString('en')}` : n;
}

/** User ids separated by commas, spaces or new lines. */
export const whitelistIds = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');

type Patch = Partial<Omit<GroupSettings, 'check_bots' | 'join_request_policy' | 'leave_reaction'>>;

/** The settings that differ from `saved`, or the errors to show per field. */
export function settingsPatch(
  draft: SettingsDraft,
  saved: GroupSettings,
): { ok: true; patch: Patch } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const numbers = {
    mute_minutes: wholeNumber(draft.mute_minutes, 525_600),
    prompt_delete_after_seconds: wholeNumber(draft.prompt_delete_after_seconds, 86_400),
    verify_timeout_seconds: wholeNumber(draft.verify_timeout_seconds, 604_800),
  };
  for (const [key, value] of Object.entries(numbers))
    if (typeof value === 'string') errors[key as DraftField] = value;
  if (draft.failure_action === 'mute_for_minutes' && numbers.mute_minutes === 0)
    errors.mute_minutes = 'must be at least 1 to mute for a while';
  if (draft.prompt_template.length > 2000)
    errors.prompt_template = 'must be at most 2000 characters';
  if (/\p{Cc}/u.test(draft.prompt_template.replaceAll('\n', '')))
    errors.prompt_template = 'must not contain control characters';
  const ids = whitelistIds(draft.whitelist);
  const badId = ids.find((id) => !/^\d{1,20}$/.test(id));
  if (badId !== undefined) errors.whitelist = `"${badId}" is not a Telegram user id`;
  else if (ids.length > 1000) errors.whitelist = 'must list at most 1000 users';
  const language = draft.language.trim().toLowerCase();
  if (!/^[a-z]{2}$/.test(language)) errors.language = 'must be a two-letter language code';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const next: Patch = {
    failure_action: draft.failure_action,
    mute_minutes: numbers.mute_minutes as number,
    prompt_template: draft.prompt_template,
    prompt_delete_after_seconds: numbers.prompt_delete_after_seconds as number,
    verify_timeout_seconds: numbers.verify_timeout_seconds as number,
    whitelist_user_ids: ids,
    under_attack: draft.under_attack,
    language,
  };
  const patch = Object.fromEntries(
    Object.entries(next).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(saved[key as keyof GroupSettings]),
    ),
  ) as Patch;
  return { ok: true, patch };
}

/**
 * The form field a server error names: "settings.whitelist_user_ids.3" -> whitelist.
 * Null when it names nothing in the form (the message then goes to a toast).
 */
export function draftFieldOf(serverField: string | undefined): DraftField | null {
  const name = serverField?.replace(/^settings\./, '').split('.')[0];
  switch (name) {
    case 'failure_action':
    case 'mute_minutes':
    case 'prompt_template':
    case 'prompt_delete_after_seconds':
    case 'verify_timeout_seconds':
    case 'under_attack':
    case 'language':
      return name;
    case 'whitelist_user_ids':
      return 'whitelist';
    case undefined:
    default:
      return null;
  }
}

/** The bot's English text when the template is empty (services/verification texts.ts). */
export const DEFAULT_PROMPT =
  '{name}, to write in {group} please join {channels}. Then press "I\'ve joined — verify".';

/** The prompt as a member would read it, with example values for the placeholders. */
export function previewPrompt(
  template: string,
  example: { name: string; group: string; channels: string },
): string {
  const text = template.trim() === '' ? DEFAULT_PROMPT : template;
  return text.replace(
    /\{(name|group|channels)\}/g,
    (_, key: 'name' | 'group' | 'channels') => example[key],
  );
}
