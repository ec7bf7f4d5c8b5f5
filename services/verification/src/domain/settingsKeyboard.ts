// The /settings keyboard: one button per setting, each press moves that setting to its
// next value (callback data `nz:s:<key>`). Only group admins' presses count. Pure: the
// press concludes with the whole new settings (`group.settings_changed`), the keyboard
// redrawn and the press answered.
import {
  create,
  GroupSettingsChangedSchema,
  type TelegramAction,
  type TelegramUser,
} from '@nezuko/proto';
import { actionsFor, type AdminCheck } from './facts.ts';
import type { GroupConfig } from './groups.ts';
import type { GroupEventToAppend } from './commands.ts';
import { defaultSettings, toSettingsMessage, type Settings } from './settings.ts';
import { textsFor, type Catalogue } from './texts.ts';

const cycle = <T>(values: readonly T[], current: T): T =>
  values[(values.indexOf(current) + 1) % values.length] ?? (values[0] as T);

const promptDeleteChoices = [0, 60, 300, 900];
const verifyTimeoutChoices = [0, 300, 900, 3600];
const muteMinutesChoices = [10, 60, 24 * 60];

/** What each key does to the settings. */
const changes: Record<string, (s: Settings) => Settings> = {
  action: (s) => ({
    ...s,
    failureAction: cycle(['mute', 'mute_for', 'kick', 'ban'] as const, s.failureAction),
  }),
  mute: (s) => ({ ...s, muteMinutes: cycle(muteMinutesChoices, s.muteMinutes) }),
  pdel: (s) => ({
    ...s,
    promptDeleteAfterSeconds: cycle(promptDeleteChoices, s.promptDeleteAfterSeconds),
  }),
  timeout: (s) => ({
    ...s,
    verifyTimeoutSeconds: cycle(verifyTimeoutChoices, s.verifyTimeoutSeconds),
  }),
  attack: (s) => ({ ...s, underAttack: !s.underAttack }),
  bots: (s) => ({ ...s, checkBots: !s.checkBots }),
  joinreq: (s) => ({
    ...s,
    joinRequestPolicy: s.joinRequestPolicy === 'decline' ? 'leave_pending' : 'decline',
  }),
  leave: (s) => ({
    ...s,
    leaveReaction: s.leaveReaction === 'next_message' ? 'at_once' : 'next_message',
  }),
};

export const settingsData = (key: string) => `nz:s:${key}`;

export function settingsKeyboard(
  texts: Catalogue,
  settings: Settings = defaultSettings,
): { text: string; callbackData: string }[] {
  const b = texts.settingsButtons;
  return [
    {
      text: b.action(settings.failureAction, settings.muteMinutes),
      callbackData: settingsData('action'),
    },
    ...(settings.failureAction === 'mute_for'
      ? [{ text: b.muteMinutes(settings.muteMinutes), callbackData: settingsData('mute') }]
      : []),
    { text: b.promptDelete(settings.promptDeleteAfterSeconds), callbackData: settingsData('pdel') },
    { text: b.verifyTimeout(settings.verifyTimeoutSeconds), callbackData: settingsData('timeout') },
    { text: b.underAttack(settings.underAttack), callbackData: settingsData('attack') },
    { text: b.checkBots(settings.checkBots), callbackData: settingsData('bots') },
    { text: b.joinRequests(settings.joinRequestPolicy), callbackData: settingsData('joinreq') },
    { text: b.leaveReaction(settings.leaveReaction), callbackData: settingsData('leave') },
    { text: b.close, callbackData: settingsData('close') },
  ];
}

export interface ButtonPressFacts {
  readonly eventId: string;
  readonly botId: string;
  readonly groupId: string;
  readonly group: GroupConfig | undefined;
  readonly user: TelegramUser;
  readonly callbackQueryId: string;
  readonly messageId: string;
  readonly data: string;
  readonly sender?: AdminCheck;
}

export type ButtonPressStep =
  | { readonly kind: 'lookup'; readonly lookup: 'sender' }
  | {
      readonly kind: 'decided';
      readonly events: readonly GroupEventToAppend[];
      readonly actions: readonly TelegramAction[];
    };

export function decideSettingsPress(facts: ButtonPressFacts): ButtonPressStep {
  const settings = facts.group?.settings ?? defaultSettings;
  const texts = textsFor(settings.language);
  const act = actionsFor(facts.eventId, facts.botId, facts.groupId);
  const answer = (text: string): ButtonPressStep => ({
    kind: 'decided',
    events: [],
    actions: [act.answer(facts.callbackQueryId, text)],
  });
  if (!facts.sender) return { kind: 'lookup', lookup: 'sender' };
  if (facts.sender.kind !== 'admin') return answer(texts.onlyAdminsChangeSettings);

  const key = facts.data.slice('nz:s:'.length);
  if (key === 'close')
    return {
      kind: 'decided',
      events: [],
      actions: [act.deleteMessage('close', facts.messageId), act.answer(facts.callbackQueryId, '')],
    };
  // Callback data comes from Telegram clients: only the keys above mean anything.
  const change = Object.hasOwn(changes, key) ? changes[key] : undefined;
  if (!change) return answer('');
  const next = change(settings);
  const title = texts.settingsTitle(facts.group?.title || texts.thisGroup);
  return {
    kind: 'decided',
    events: [
      {
        what: 'settings',
        event: {
          type: 'group.settings_changed',
          event: create(GroupSettingsChangedSchema, {
            groupId: facts.groupId,
            settings: toSettingsMessage(next),
            actor: { who: { case: 'telegramUserId', value: facts.user.id } },
          }),
        },
      },
    ],
    actions: [
      act.editText(facts.messageId, title, settingsKeyboard(texts, next)),
      act.answer(facts.callbackQueryId, texts.settingsChanged),
    ],
  };
}
