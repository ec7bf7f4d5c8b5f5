// A group's settings as the decisions read them: the `group.settings_changed` message with
// its zero values replaced by the defaults. Pure; `toSettingsMessage` is the way back, for
// the event a `/settings` button press appends.
import {
  create,
  FailureAction,
  GroupSettingsSchema,
  JoinRequestPolicy,
  LeaveReaction,
  type GroupSettings,
} from '@nezuko/proto';
import { isLanguage, type Language } from './texts.ts';

export type FailureMode = 'mute' | 'mute_for' | 'kick' | 'ban';

export interface Settings {
  readonly failureAction: FailureMode;
  /** For `mute_for`. */
  readonly muteMinutes: number;
  /** Placeholders {name} {group} {channels}; empty = the catalogue's text. */
  readonly promptTemplate: string;
  /** 0 = the prompt stays until the member verifies. */
  readonly promptDeleteAfterSeconds: number;
  /** 0 = never; after it an unverified member is removed (kick, or ban when that is the action). */
  readonly verifyTimeoutSeconds: number;
  readonly whitelist: readonly string[];
  readonly underAttack: boolean;
  readonly language: Language;
  /** Other bots are exempt unless this is on. */
  readonly checkBots: boolean;
  readonly joinRequestPolicy: 'decline' | 'leave_pending';
  readonly leaveReaction: 'next_message' | 'at_once';
}

export const defaultMuteMinutes = 60;

export const defaultSettings: Settings = {
  failureAction: 'mute',
  muteMinutes: defaultMuteMinutes,
  promptTemplate: '',
  promptDeleteAfterSeconds: 0,
  verifyTimeoutSeconds: 0,
  whitelist: [],
  underAttack: false,
  language: 'en',
  checkBots: false,
  joinRequestPolicy: 'decline',
  leaveReaction: 'next_message',
};

const failureModes: Record<FailureAction, FailureMode> = {
  [FailureAction.UNSPECIFIED]: 'mute',
  [FailureAction.MUTE_UNTIL_VERIFIED]: 'mute',
  [FailureAction.MUTE_FOR_MINUTES]: 'mute_for',
  [FailureAction.KICK]: 'kick',
  [FailureAction.BAN]: 'ban',
};

/** The operator's prompt defaults (dashboard settings) for groups never configured. */
export interface PromptDefaults {
  readonly language: string;
  readonly deleteAfterSeconds: number;
}

/**
 * Settings a group uses: its own once an admin configured it, otherwise the defaults with
 * the operator's prompt defaults (a group never configured holds `defaultSettings` itself).
 */
export function effectiveSettings(settings: Settings, defaults: PromptDefaults): Settings {
  if (settings !== defaultSettings) return settings;
  return {
    ...defaultSettings,
    promptDeleteAfterSeconds: defaults.deleteAfterSeconds,
    language: isLanguage(defaults.language) ? defaults.language : defaultSettings.language,
  };
}

export function settingsFrom(message: GroupSettings | undefined): Settings {
  if (!message) return defaultSettings;
  return {
    failureAction: failureModes[message.failureAction] ?? 'mute',
    muteMinutes: message.muteMinutes > 0 ? message.muteMinutes : defaultMuteMinutes,
    promptTemplate: message.promptTemplate,
    promptDeleteAfterSeconds: message.promptDeleteAfterSeconds,
    verifyTimeoutSeconds: message.verifyTimeoutSeconds,
    whitelist: [...message.whitelistUserIds],
    underAttack: message.underAttack,
    language: isLanguage(message.language) ? message.language : 'en',
    checkBots: message.checkBots,
    joinRequestPolicy:
      message.joinRequestPolicy === JoinRequestPolicy.LEAVE_PENDING ? 'leave_pending' : 'decline',
    leaveReaction: message.leaveReaction === LeaveReaction.AT_ONCE ? 'at_once' : 'next_message',
  };
}

export function toSettingsMessage(settings: Settings): GroupSettings {
  const action: Record<FailureMode, FailureAction> = {
    mute: FailureAction.MUTE_UNTIL_VERIFIED,
    mute_for: FailureAction.MUTE_FOR_MINUTES,
    kick: FailureAction.KICK,
    ban: FailureAction.BAN,
  };
  return create(GroupSettingsSchema, {
    failureAction: action[settings.failureAction],
    muteMinutes: settings.muteMinutes,
    promptTemplate: settings.promptTemplate,
    promptDeleteAfterSeconds: settings.promptDeleteAfterSeconds,
    verifyTimeoutSeconds: settings.verifyTimeoutSeconds,
    whitelistUserIds: [...settings.whitelist],
    underAttack: settings.underAttack,
    language: settings.language,
    checkBots: settings.checkBots,
    joinRequestPolicy:
      settings.joinRequestPolicy === 'leave_pending'
        ? JoinRequestPolicy.LEAVE_PENDING
        : JoinRequestPolicy.DECLINE,
    leaveReaction:
      settings.leaveReaction === 'at_once' ? LeaveReaction.AT_ONCE : LeaveReaction.NEXT_MESSAGE,
  });
}
