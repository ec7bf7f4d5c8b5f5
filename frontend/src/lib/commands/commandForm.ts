// The command form's domain, pure: which fields each command type needs, the same checks
// the command API's zod schemas make (services/command/src/routes/commands.ts and ids.ts),
// turning a draft into the request body, and keeping one Idempotency-Key per submit intent.
// Time arrives as a value, so a duration becomes an until_date the tests can predict.

export const COMMAND_TYPES = [
  'ban_user',
  'unban_user',
  'mute_user',
  'unmute_user',
  'send_message',
  'delete_message',
  'sync_members',
  'leave_group',
  'reverify_group',
] as const;

export type CommandType = (typeof COMMAND_TYPES)[number];

/** A field a command type asks for, beyond the group every command needs. */
export type CommandField = 'user_id' | 'duration' | 'text' | 'message_id';

export interface CommandTypeInfo {
  label: string;
  /** What happens in Telegram, in the admin's words. */
  description: string;
  fields: readonly CommandField[];
}

export const commandTypeInfo: Record<CommandType, CommandTypeInfo> = {
  ban_user: {
    label: 'Ban user',
    description:
      'Removes the user from the group; they cannot rejoin until unbanned or the ban ends.',
    fields: ['user_id', 'duration'],
  },
  unban_user: {
    label: 'Unban user',
    description: 'Lets a banned user join again (nothing happens to members who are not banned).',
    fields: ['user_id'],
  },
  mute_user: {
    label: 'Mute user',
    description:
      'The user stays in the group but cannot send messages until unmuted or the time ends.',
    fields: ['user_id', 'duration'],
  },
  unmute_user: {
    label: 'Unmute user',
    description: 'Gives a muted user their group permissions back.',
    fields: ['user_id'],
  },
  send_message: {
    label: 'Send message',
    description: "The group's bot posts this text in the group.",
    fields: ['text'],
  },
  delete_message: {
    label: 'Delete message',
    description: 'Deletes one message from the group by its id.',
    fields: ['message_id'],
  },
  sync_members: {
    label: 'Sync members',
    description: "Refreshes the group's and its linked channels' titles and member counts.",
    fields: [],
  },
  leave_group: {
    label: 'Leave group',
    description: 'The bot leaves the group; it stops protecting it until added again.',
    fields: [],
  },
  reverify_group: {
    label: 'Re-verify group',
    description: 'Re-checks every recently active member; those no longer subscribed are muted.',
    fields: [],
  },
};

export const commandLabel = (kind: string): string =>
  (commandTypeInfo as Partial<Record<string, CommandTypeInfo>>)[kind]?.label ?? kind;

export interface CommandDraft {
  type: CommandType;
  group_id: string;
  user_id: string;
  /** "" (forever), or a number with m, h or d: "30m", "12h", "7d". */
  duration: string;
  text: string;
  message_id: string;
}

export const emptyDraft = (type: CommandType = 'ban_user'): CommandDraft => ({
  type,
  group_id: '',
  user_id: '',
  duration: '',
  text: '',
  message_id: '',
});

export type CommandBody = { type: CommandType; group_id: string } & Partial<{
  user_id: string;
  until_date: number;
  text: string;
  message_id: string;
}>;

/** Problems keyed by the draft field that shows them ('group_id', 'user_id', …). */
export type DraftErrors = Partial<Record<keyof CommandDraft, string>>;

export type DraftCheck = { ok: true; body: CommandBody } | { ok: false; errors: DraftErrors };

export const TEXT_MAX = 4096;
/** Telegram treats a restriction shorter than 30 s or longer than 366 days as forever. */
const DURATION_MIN_S = 60;
const DURATION_MAX_S = 366 * 86_400;
const UNIT_SECONDS = { m: 60, h: 3_600, d: 86_400 } as const;

const chatIdPattern = /^-[1-9][0-9]*$/;
const userIdPattern = /^[1-9][0-9]*$/;
const messageIdPattern = /^[1-9][0-9]{0,15}$/;

/** "" is forever (null); "90m", "12h", "7d" are seconds; anything else is a message. */
export function parseDuration(value: string): { seconds: number | null } | { error: string } {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '') return { seconds: null };
  const match = /^([1-9][0-9]{0,5})\s*([mhd])$/.exec(trimmed);
  if (!match) return { error: 'Use a number with m, h or d (e.g. 30m, 12h, 7d), or leave empty.' };
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds < DURATION_MIN_S) return { error: 'At least 1 minute.' };
  if (seconds > DURATION_MAX_S) return { error: 'At most 366 days; leave empty for forever.' };
  return { seconds };
}

function checkGroup(value: string): string | null {
  if (value === '') return 'Choose a group.';
  if (!chatIdPattern.test(value) || !Number.isSafeInteger(Number(value)))
    return 'Must be a Telegram group chat id (a negative integer).';
  return null;
}

function checkUser(value: string): string | null {
  if (value === '') return 'Enter the Telegram user id.';
  if (!userIdPattern.test(value) || !Number.isSafeInteger(Number(value)))
    return 'Must be a Telegram user id (a positive integer).';
  return null;
}

/** Validates `draft` as the command API would and builds the request body. */
export function checkDraft(draft: CommandDraft, nowMs: number): DraftCheck {
  const errors: DraftErrors = {};
  const groupId = draft.group_id.trim();
  const groupProblem = checkGroup(groupId);
  if (groupProblem) errors.group_id = groupProblem;
  const body: CommandBody = { type: draft.type, group_id: groupId };
  for (const field of commandTypeInfo[draft.type].fields) {
    switch (field) {
      case 'user_id': {
        const userId = draft.user_id.trim();
        const problem = checkUser(userId);
        if (problem) errors.user_id = problem;
        else body.user_id = userId;
        break;
      }
      case 'duration': {
        const duration = parseDuration(draft.duration);
        if ('error' in duration) errors.duration = duration.error;
        else if (duration.seconds !== null)
          body.until_date = Math.floor(nowMs / 1_000) + duration.seconds;
        break;
      }
      case 'text':
        if (draft.text.trim() === '') errors.text = 'Write the message to send.';
        else if (draft.text.length > TEXT_MAX)
          errors.text = `At most ${TEXT_MAX} characters (now ${draft.text.length}).`;
        else body.text = draft.text;
        break;
      case 'message_id': {
        const messageId = draft.message_id.trim();
        if (messageId === '') errors.message_id = 'Enter the message id.';
        else if (!messageIdPattern.test(messageId))
          errors.message_id = 'Must be a Telegram message id (a positive integer).';
        else body.message_id = messageId;
        break;
      }
      default:
        return assertNever(field);
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}

const fieldsForApi: Readonly<Record<string, keyof CommandDraft>> = {
  group_id: 'group_id',
  bot_id: 'group_id',
  user_id: 'user_id',
  until_date: 'duration',
  text: 'text',
  message_id: 'message_id',
};

/** Which draft field shows a problem the command API named (`field` of a 400 or 409). */
export function draftFieldFor(apiField: string | undefined): keyof CommandDraft | null {
  return apiField !== undefined && Object.hasOwn(fieldsForApi, apiField)
    ? (fieldsForApi[apiField] ?? null)
    : null;
}

/**
 * One submit intent: the body as first sent and its Idempotency-Key. Submitting the same
 * draft again (a retry after a timeout or a 5xx) resends exactly that body with that key,
 * so the command API stores it once; a changed draft is a new intent.
 */
export interface SubmitIntent {
  draft: string;
  body: CommandBody;
  key: string;
}

export function intentFor(
  previous: SubmitIntent | null,
  draft: CommandDraft,
  nowMs: number,
  newKey: () => string,
): { ok: true; intent: SubmitIntent } | { ok: false; errors: DraftErrors } {
  const signature = JSON.stringify(draftForType(draft));
  if (previous && previous.draft === signature) return { ok: true, intent: previous };
  const checked = checkDraft(draft, nowMs);
  if (!checked.ok) return checked;
  return { ok: true, intent: { draft: signature, body: checked.body, key: newKey() } };
}

/** Only the fields the type uses: text typed for another type does not make a new intent. */
function draftForType(draft: CommandDraft): Partial<CommandDraft> {
  const used: Partial<CommandDraft> = { type: draft.type, group_id: draft.group_id.trim() };
  for (const field of commandTypeInfo[draft.type].fields) used[field] = draft[field];
  return used;
}

function assertNever(value: never): never {
  throw new Error(`unhandled command field ${String(value)}`);
}
