// Every text the bot shows people, in one catalogue per language. English only for now; a
// language is added by adding one object of the same shape. Pure functions of their data.
export const languages = ['en'] as const;
export type Language = (typeof languages)[number];

export function isLanguage(value: string): value is Language {
  return (languages as readonly string[]).includes(value);
}

export interface BotRights {
  readonly admin: boolean;
  readonly canRestrict: boolean;
  readonly canDelete: boolean;
  readonly canInvite: boolean;
}

export interface StatusReport {
  readonly protectedOn: boolean;
  readonly channels: readonly string[];
  readonly rights: BotRights | undefined;
  readonly rightsError: string;
  readonly today: {
    readonly verified: number;
    readonly restricted: number;
    readonly exempt: number;
    readonly errors: number;
  };
  readonly muted: number;
  readonly underAttack: boolean;
}

export interface Catalogue {
  /** How a member without a username or name is addressed. */
  readonly fallbackName: string;
  readonly thisGroup: string;
  readonly unnamedChannel: (id: string) => string;
  readonly verifyButton: string;
  readonly joinButton: (channel: string) => string;
  readonly prompt: (who: string, group: string, channels: string) => string;
  readonly notForYou: string;
  readonly verified: string;
  readonly notMutedByMe: string;
  readonly stillMissing: (channels: string) => string;
  readonly onlyAdmins: (command: string) => string;
  readonly cannotCheckAdmins: (reason: string) => string;
  readonly protectUsage: string;
  readonly channelNotFound: (query: string, reason: string) => string;
  readonly notAChannel: (query: string) => string;
  readonly botRightsMissing: (missing: readonly string[]) => string;
  readonly botNotAdminInChannel: (channel: string, reason: string) => string;
  readonly inviteLinkFailed: (channel: string, reason: string) => string;
  readonly protectionOn: (channels: string) => string;
  readonly alreadyProtected: (channels: string) => string;
  readonly rightNames: {
    readonly admin: string;
    readonly restrict: string;
    readonly delete: string;
  };
  readonly unprotectedAll: (unmuted: number) => string;
  readonly unprotectedOne: (channel: string, remaining: string, unmuted: number) => string;
  readonly notLinked: (query: string) => string;
  readonly notProtected: string;
  readonly status: (report: StatusReport) => string;
  readonly help: string;
  readonly start: string;
  readonly joinRequestMissing: (group: string, channels: string, pending: boolean) => string;
  readonly attackSummary: (count: number, channels: string) => string;
  readonly settingsTitle: (group: string) => string;
  readonly settingsButtons: SettingsButtonTexts;
  readonly settingsChanged: string;
  readonly whitelistUsage: string;
  readonly whitelistShow: (ids: readonly string[]) => string;
  readonly whitelistAdded: (id: string) => string;
  readonly whitelistRemoved: (id: string) => string;
  readonly templateSet: (preview: string) => string;
  readonly templateReset: string;
  readonly onlyAdminsChangeSettings: string;
}

export interface SettingsButtonTexts {
  readonly action: (mode: string, minutes: number) => string;
  readonly muteMinutes: (minutes: number) => string;
  readonly promptDelete: (seconds: number) => string;
  readonly verifyTimeout: (seconds: number) => string;
  readonly underAttack: (on: boolean) => string;
  readonly checkBots: (on: boolean) => string;
  readonly joinRequests: (policy: string) => string;
  readonly leaveReaction: (reaction: string) => string;
  readonly close: string;
}

const duration = (seconds: number) =>
  seconds === 0
    ? 'never'
    : seconds % 3600 === 0
      ? `${seconds / 3600} h`
      : seconds % 60 === 0
        ? `${seconds / 60} min`
        : `${seconds} s`;

const onOff = (on: boolean) => (on ? 'on' : 'off');

const en: Catalogue = {
  fallbackName: 'Hi',
  thisGroup: 'this group',
  unnamedChannel: (id) => `channel ${id}`,
  verifyButton: "I've joined — verify",
  joinButton: (channel) => `Join ${channel}`,
  prompt: (who, group, channels) =>
    `${who}, to write in ${group} please join ${channels}. Then press "I've joined — verify".`,
  notForYou: 'This button is not for you.',
  verified: 'Verified — you can write now.',
  notMutedByMe: 'You are not muted by me.',
  stillMissing: (channels) => `You still need to join: ${channels}.`,
  onlyAdmins: (command) => `Only group admins can use /${command}.`,
  cannotCheckAdmins: (reason) =>
    `I couldn't check your admin rights (${reason}). Make sure I'm an admin in this group.`,
  protectUsage: 'Usage: /protect @channel [@channel2 ...] (or the channels’ numeric ids).',
  channelNotFound: (query, reason) =>
    `I can't find ${query} (${reason}). Check the name, and add me to the channel as an admin so I can see who joined.`,
  notAChannel: (query) => `${query} is not a channel.`,
  botRightsMissing: (missing) =>
    `I need more rights in this group first: ${missing.join(', ')}. Promote me and try again.`,
  botNotAdminInChannel: (channel, reason) =>
    `I'm not an admin in ${channel}${reason !== '' ? ` (${reason})` : ''}. Add me there as an admin so I can see who joined.`,
  inviteLinkFailed: (channel, reason) =>
    `${channel} is private and I couldn't create an invite link for it (${reason}). Give me the right to invite users there.`,
  protectionOn: (channels) => `Protection is on: members must join ${channels}.`,
  alreadyProtected: (channels) => `Protection is already on: members must join ${channels}.`,
  rightNames: {
    admin: 'admin status',
    restrict: 'the right to restrict members',
    delete: 'the right to delete messages',
  },
  unprotectedAll: (unmuted) =>
    `Protection is off.${unmuted > 0 ? ` ${unmuted} muted member(s) can write again.` : ''}`,
  unprotectedOne: (channel, remaining, unmuted) =>
    `${channel} is no longer required.${remaining !== '' ? ` Members must still join ${remaining}; muted members are freed by the verify button once they have.` : ' Protection is off.'}${unmuted > 0 ? ` ${unmuted} muted member(s) can write again.` : ''}`,
  notLinked: (query) => `${query} is not linked to this group.`,
  notProtected: 'This group is not protected. Use /protect @channel to start.',
  status: (r) =>
    [
      `Protection: ${r.protectedOn ? 'on' : 'off'}${r.underAttack ? ' (under attack mode)' : ''}`,
      `Channels: ${r.channels.length > 0 ? r.channels.join(', ') : 'none'}`,
      r.rights
        ? `My rights: admin ${r.rights.admin ? 'yes' : 'no'}, restrict ${r.rights.canRestrict ? 'yes' : 'no'}, delete ${r.rights.canDelete ? 'yes' : 'no'}, invite ${r.rights.canInvite ? 'yes' : 'no'}`
        : `My rights: unknown (${r.rightsError})`,
      `Today: ${r.today.verified} verified, ${r.today.restricted} restricted, ${r.today.exempt} exempt, ${r.today.errors} errors`,
      `Muted by me now: ${r.muted}`,
    ].join('\n'),
  help: [
    'Nezuko keeps your group for members of your channels.',
    '/protect @channel [@channel2 ...] — require joining these channels',
    '/unprotect [@channel] — stop requiring one channel, or all',
    '/status — protection, channels, my rights, today’s counts',
    '/settings — what happens to members who have not joined',
    '/whitelist add|remove <user id> — members never checked',
    '/template <text> — the prompt, with {name} {group} {channels}; alone: the default',
    '/help — this text',
  ].join('\n'),
  start: [
    'Hi! I’m Nezuko. I make sure people who write in your group have joined your channels.',
    'Set up: 1) add me to your group as an admin with the rights to restrict members and delete messages;',
    '2) add me to each channel as an admin;',
    '3) in the group, send /protect @yourchannel.',
    'Members who have not joined are muted and shown a button to join and verify.',
  ].join('\n'),
  joinRequestMissing: (group, channels, pending) =>
    `To join ${group}, please join ${channels} first.${pending ? ' Your request stays open: I will approve it once you have joined.' : ' Then ask to join again.'}`,
  attackSummary: (count, channels) =>
    `Under attack mode: ${count} new member(s) were muted without a prompt. To write, join ${channels} and press the button below.`,
  settingsTitle: (group) => `Settings for ${group}. Press a button to change it.`,
  settingsButtons: {
    action: (mode, minutes) =>
      `On failure: ${mode === 'mute_for' ? `mute for ${minutes} min` : mode === 'mute' ? 'mute until verified' : mode}`,
    muteMinutes: (minutes) => `Mute for: ${duration(minutes * 60)}`,
    promptDelete: (seconds) => `Delete prompt after: ${duration(seconds)}`,
    verifyTimeout: (seconds) => `Remove unverified after: ${duration(seconds)}`,
    underAttack: (on) => `Under attack mode: ${onOff(on)}`,
    checkBots: (on) => `Check other bots: ${onOff(on)}`,
    joinRequests: (policy) =>
      `Join requests missing a channel: ${policy === 'leave_pending' ? 'leave pending' : 'decline'}`,
    leaveReaction: (reaction) =>
      `Who leaves a channel is muted: ${reaction === 'at_once' ? 'at once' : 'on next message'}`,
    close: 'Close',
  },
  settingsChanged: 'Saved.',
  whitelistUsage: 'Usage: /whitelist add <user id> or /whitelist remove <user id>.',
  whitelistShow: (ids) =>
    ids.length > 0 ? `Whitelisted: ${ids.join(', ')}` : 'Nobody is whitelisted.',
  whitelistAdded: (id) => `User ${id} is whitelisted: never checked here.`,
  whitelistRemoved: (id) => `User ${id} is no longer whitelisted.`,
  templateSet: (preview) => `New prompt text. It will read like this:\n${preview}`,
  templateReset: 'The prompt text is back to the default.',
  onlyAdminsChangeSettings: 'Only group admins can change settings.',
};

const catalogues: Record<Language, Catalogue> = { en };

export function textsFor(language: Language): Catalogue {
  return catalogues[language];
}

/** Fills {name} {group} {channels} in an admin's prompt template. */
export function fillTemplate(
  template: string,
  values: { readonly name: string; readonly group: string; readonly channels: string },
): string {
  return template.replace(
    /\{(name|group|channels)\}/g,
    (_, key: keyof typeof values) => values[key],
  );
}
