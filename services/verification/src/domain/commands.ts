// Admin commands, pure like the verification rules: each command asks for the facts it
// needs (is the sender an admin, what are these channels, what rights does the bot hold)
// and concludes with the group events to append and the replies to send. Only group
// admins (the cached admin list, or the anonymous admin posting as the group) may use
// them; in a private chat only /start and /help answer. /whitelist and /template change
// the settings the /settings keyboard has no button for.
import {
  ChannelLinkedSchema,
  ChannelUnlinkedSchema,
  create,
  GroupSettingsChangedSchema,
  type TelegramAction,
  type TelegramUser,
} from '@nezuko/proto';
import { actionsFor, channelName, type AdminCheck } from './facts.ts';
import type { GroupConfig, GroupEvent, LinkedChannel } from './groups.ts';
import { defaultSettings, toSettingsMessage, type Settings } from './settings.ts';
import { settingsKeyboard } from './settingsKeyboard.ts';
import { fillTemplate, textsFor, type Catalogue } from './texts.ts';

export type ChannelLookup =
  | { readonly kind: 'found'; readonly type: string; readonly channel: LinkedChannel }
  | { readonly kind: 'not_found'; readonly reason: string };

/** What the bot may do in a chat (getChatMember on itself). */
export type RightsLookup =
  | {
      readonly kind: 'ok';
      readonly status: string;
      readonly canRestrict: boolean;
      readonly canDelete: boolean;
      readonly canInvite: boolean;
    }
  | { readonly kind: 'error'; readonly reason: string };

export type InviteLookup =
  | { readonly kind: 'ok'; readonly inviteLink: string }
  | { readonly kind: 'error'; readonly reason: string };

export interface TodayCounts {
  readonly verified: number;
  readonly restricted: number;
  readonly exempt: number;
  readonly error: number;
}

export interface CommandFacts {
  readonly eventId: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly botId: string;
  /** The group, or the user's private chat (a positive id) for /start and /help. */
  readonly groupId: string;
  readonly groupTitle: string;
  readonly group: GroupConfig | undefined;
  readonly user: TelegramUser;
  readonly senderChatId: string;
  readonly messageId: string;
  readonly sender?: AdminCheck;
  readonly botRights?: RightsLookup;
  /** By query (`@name` or id). */
  readonly channels?: ReadonlyMap<string, ChannelLookup>;
  /** The bot's rights in each channel, by channel id. */
  readonly channelRights?: ReadonlyMap<string, RightsLookup>;
  /** Links the bot created for private channels, by channel id. */
  readonly inviteLinks?: ReadonlyMap<string, InviteLookup>;
  /** Members Nezuko muted in the group. */
  readonly muted?: readonly string[];
  readonly counts?: TodayCounts;
}

export type CommandLookup =
  | { readonly kind: 'sender' }
  | { readonly kind: 'bot_rights' }
  | { readonly kind: 'channels'; readonly queries: readonly string[] }
  | { readonly kind: 'channel_rights'; readonly channelIds: readonly string[] }
  | { readonly kind: 'invite_links'; readonly channelIds: readonly string[] }
  | { readonly kind: 'muted' }
  | { readonly kind: 'counts' };

export interface GroupEventToAppend {
  /** Suffix of the derived event id: `<eventId>:<what>`. */
  readonly what: string;
  readonly event: GroupEvent;
}

export type CommandStep =
  | { readonly kind: 'lookup'; readonly lookup: CommandLookup }
  | { readonly kind: 'ignore'; readonly reason: string }
  | {
      readonly kind: 'decided';
      readonly events: readonly GroupEventToAppend[];
      readonly actions: readonly TelegramAction[];
      /** Nezuko's mutes in the group are all lifted: forget them. */
      readonly unmutedAll?: boolean;
    };

const groupCommands = new Set([
  'protect',
  'unprotect',
  'status',
  'settings',
  'whitelist',
  'template',
  'help',
  'start',
]);

export function decideCommand(facts: CommandFacts): CommandStep {
  const texts = textsFor(facts.group?.settings.language ?? 'en');
  const act = actionsFor(facts.eventId, facts.botId, facts.groupId);
  const reply = (text: string): CommandStep => ({
    kind: 'decided',
    events: [],
    actions: [act.reply(text, facts.messageId)],
  });

  if (!facts.groupId.startsWith('-')) {
    // A private chat with the bot.
    if (facts.command === 'start') return reply(texts.start);
    if (facts.command === 'help') return reply(texts.help);
    return { kind: 'ignore', reason: `/${facts.command} in a private chat` };
  }
  if (!groupCommands.has(facts.command))
    return { kind: 'ignore', reason: `not a Nezuko command: /${facts.command}` };

  // A message sent as the group itself comes from an anonymous admin.
  if (facts.senderChatId !== facts.groupId) {
    if (!facts.sender) return { kind: 'lookup', lookup: { kind: 'sender' } };
    if (facts.sender.kind === 'error') return reply(texts.cannotCheckAdmins(facts.sender.reason));
    if (facts.sender.kind === 'not_admin') return reply(texts.onlyAdmins(facts.command));
  }

  switch (facts.command) {
    case 'protect':
      return decideProtect(facts, texts, reply);
    case 'unprotect':
      return decideUnprotect(facts, texts, reply);
    case 'status':
      return decideStatus(facts, texts, reply);
    case 'settings':
      return {
        kind: 'decided',
        events: [],
        actions: [
          act.reply(
            texts.settingsTitle(groupName(facts, texts)),
            facts.messageId,
            settingsKeyboard(texts, facts.group?.settings),
            'settings',
          ),
        ],
      };
    case 'whitelist':
      return decideWhitelist(facts, texts, reply);
    case 'template':
      return decideTemplate(facts, texts);
    case 'help':
    case 'start':
      return reply(texts.help);
    default:
      return { kind: 'ignore', reason: `not a Nezuko command: /${facts.command}` };
  }
}

type Reply = (text: string) => CommandStep;

function decideProtect(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
  const queries = facts.args.map(channelQuery);
  if (queries.length === 0 || queries.some((q) => q === undefined))
    return reply(texts.protectUsage);
  const wanted = [...new Set(queries as string[])];

  // Everything that is missing is said at once, so the admin fixes it in one go.
  if (!facts.botRights) return { kind: 'lookup', lookup: { kind: 'bot_rights' } };
  const missingRights = groupRightsMissing(facts.botRights, texts);
  const problems = missingRights.length > 0 ? [texts.botRightsMissing(missingRights)] : [];

  if (!facts.channels) return { kind: 'lookup', lookup: { kind: 'channels', queries: wanted } };
  const found: LinkedChannel[] = [];
  for (const query of wanted) {
    const lookup = facts.channels.get(query);
    if (!lookup || lookup.kind === 'not_found')
      problems.push(texts.channelNotFound(query, lookup?.reason ?? 'no answer'));
    else if (lookup.type !== 'channel') problems.push(texts.notAChannel(query));
    else if (!found.some((c) => c.id === lookup.channel.id)) found.push(lookup.channel);
  }

  if (!facts.channelRights && found.length > 0)
    return {
      kind: 'lookup',
      lookup: { kind: 'channel_rights', channelIds: found.map((c) => c.id) },
    };
  for (const channel of found) {
    const rights = facts.channelRights?.get(channel.id);
    if (!rights || rights.kind === 'error')
      problems.push(texts.botNotAdminInChannel(channelName(channel), rights?.reason ?? ''));
    else if (!isAdminStatus(rights.status))
      problems.push(texts.botNotAdminInChannel(channelName(channel), ''));
  }
  if (problems.length > 0) return reply(problems.join('\n'));

  // A private channel is joined through a link; the bot makes one when it has none.
  const needLinks = found.filter((c) => c.username === '' && c.inviteLink === '');
  if (needLinks.length > 0 && !facts.inviteLinks)
    return {
      kind: 'lookup',
      lookup: { kind: 'invite_links', channelIds: needLinks.map((c) => c.id) },
    };
  const withLinks: LinkedChannel[] = [];
  for (const channel of found) {
    if (channel.username !== '' || channel.inviteLink !== '') {
      withLinks.push(channel);
      continue;
    }
    const link = facts.inviteLinks?.get(channel.id);
    if (!link || link.kind === 'error')
      return reply(texts.inviteLinkFailed(channelName(channel), link?.reason ?? 'no answer'));
    withLinks.push({ ...channel, inviteLink: link.inviteLink });
  }

  const already = new Set(facts.group?.channels.map((c) => c.id) ?? []);
  const fresh = withLinks.filter((c) => !already.has(c.id));
  const all = [...(facts.group?.channels ?? []), ...fresh];
  const names = all.map(channelName).join(', ');
  if (fresh.length === 0) return reply(texts.alreadyProtected(names));
  return {
    kind: 'decided',
    events: fresh.map((channel) => ({
      what: `linked:${channel.id}`,
      event: {
        type: 'group.channel_linked',
        event: create(ChannelLinkedSchema, {
          groupId: facts.groupId,
          groupTitle: facts.groupTitle,
          channel,
          botId: facts.botId,
          actor: actor(facts),
        }),
      },
    })),
    actions: [
      actionsFor(facts.eventId, facts.botId, facts.groupId).reply(
        texts.protectionOn(names),
        facts.messageId,
      ),
    ],
  };
}

function decideUnprotect(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
  const group = facts.group;
  if (!group || group.channels.length === 0) return reply(texts.notProtected);
  const query = facts.args[0] === undefined ? undefined : channelQuery(facts.args[0]);
  if (facts.args[0] !== undefined && query === undefined)
    return reply(texts.notLinked(facts.args[0]));
  const leaving =
    query === undefined ? group.channels : group.channels.filter((c) => matches(c, query));
  if (leaving.length === 0) return reply(texts.notLinked(query ?? ''));
  const remaining = group.channels.filter((c) => !leaving.includes(c));
  // With protection off, the members Nezuko muted here are set free. While channels remain
  // required they stay muted: their prompt's verify button now checks only those.
  if (remaining.length === 0 && !facts.muted) return { kind: 'lookup', lookup: { kind: 'muted' } };
  const freed = remaining.length === 0 ? (facts.muted ?? []) : [];
  const act = actionsFor(facts.eventId, facts.botId, facts.groupId);
  const lifts = freed.map((userId) => act.liftAs(`lift:${userId}`, userId));
  const text =
    query === undefined
      ? texts.unprotectedAll(freed.length)
      : texts.unprotectedOne(
          leaving.map(channelName).join(', '),
          remaining.map(channelName).join(', '),
          freed.length,
        );
  return {
    kind: 'decided',
    events: leaving.map((channel) => ({
      what: `unlinked:${channel.id}`,
      event: {
        type: 'group.channel_unlinked',
        event: create(ChannelUnlinkedSchema, {
          groupId: facts.groupId,
          channelId: channel.id,
          botId: facts.botId,
          actor: actor(facts),
        }),
      },
    })),
    actions: [...lifts, act.reply(text, facts.messageId)],
    unmutedAll: remaining.length === 0,
  };
}

function decideStatus(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
  if (!facts.botRights) return { kind: 'lookup', lookup: { kind: 'bot_rights' } };
  if (!facts.counts) return { kind: 'lookup', lookup: { kind: 'counts' } };
  if (!facts.muted) return { kind: 'lookup', lookup: { kind: 'muted' } };
  const group = facts.group;
  const rights = facts.botRights;
  return reply(
    texts.status({
      protectedOn: group !== undefined && group.enabled && group.channels.length > 0,
      channels: (group?.channels ?? []).map(channelName),
      rights:
        rights.kind === 'ok'
          ? {
              admin: isAdminStatus(rights.status),
              canRestrict: rights.canRestrict,
              canDelete: rights.canDelete,
              canInvite: rights.canInvite,
            }
          : undefined,
      rightsError: rights.kind === 'error' ? rights.reason : '',
      today: {
        verified: facts.counts.verified,
        restricted: facts.counts.restricted,
        exempt: facts.counts.exempt,
        errors: facts.counts.error,
      },
      muted: facts.muted.length,
      underAttack: group?.settings.underAttack ?? false,
    }),
  );
}

/** Appends the group's whole settings with one thing changed, and says so. */
function changeSettings(facts: CommandFacts, next: Settings, text: string): CommandStep {
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
            actor: actor(facts),
          }),
        },
      },
    ],
    actions: [actionsFor(facts.eventId, facts.botId, facts.groupId).reply(text, facts.messageId)],
  };
}

function decideWhitelist(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
  const settings = facts.group?.settings ?? defaultSettings;
  const [verb, id] = facts.args;
  if (verb === undefined) return reply(texts.whitelistShow(settings.whitelist));
  if ((verb !== 'add' && verb !== 'remove') || id === undefined || !/^\d{1,20}$/.test(id))
    return reply(texts.whitelistUsage);
  const others = settings.whitelist.filter((u) => u !== id);
  return verb === 'add'
    ? changeSettings(facts, { ...settings, whitelist: [...others, id] }, texts.whitelistAdded(id))
    : changeSettings(facts, { ...settings, whitelist: others }, texts.whitelistRemoved(id));
}

function decideTemplate(facts: CommandFacts, texts: Catalogue): CommandStep {
  const settings = facts.group?.settings ?? defaultSettings;
  const template = facts.args.join(' ');
  if (template === '')
    return changeSettings(facts, { ...settings, promptTemplate: '' }, texts.templateReset);
  const preview = fillTemplate(template, {
    name: facts.user.username !== '' ? `@${facts.user.username}` : facts.user.firstName,
    group: groupName(facts, texts),
    channels: (facts.group?.channels ?? []).map(channelName).join(', '),
  });
  return changeSettings(
    facts,
    { ...settings, promptTemplate: template },
    texts.templateSet(preview),
  );
}

function groupRightsMissing(rights: RightsLookup, texts: Catalogue): string[] {
  if (rights.kind === 'error' || !isAdminStatus(rights.status)) return [texts.rightNames.admin];
  return [
    ...(rights.canRestrict ? [] : [texts.rightNames.restrict]),
    ...(rights.canDelete ? [] : [texts.rightNames.delete]),
  ];
}

function isAdminStatus(status: string): boolean {
  return status === 'creator' || status === 'administrator';
}

function actor(facts: CommandFacts) {
  return { who: { case: 'telegramUserId' as const, value: facts.user.id } };
}

function groupName(facts: CommandFacts, texts: Catalogue): string {
  return facts.groupTitle !== '' ? facts.groupTitle : facts.group?.title || texts.thisGroup;
}

function matches(channel: LinkedChannel, query: string): boolean {
  if (query.startsWith('@')) return channel.username.toLowerCase() === query.slice(1).toLowerCase();
  return channel.id === query;
}

/** `@name`, `name`, `https://t.me/name` -> `@name`; a numeric id stays as it is. */
export function channelQuery(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  const trimmed = arg.trim();
  if (/^-?\d+$/.test(trimmed)) return trimmed;
  const name = trimmed.replace(/^(?:https?:\/\/)?(?:t\.me|telegram\.me)\//i, '').replace(/^@/, '');
  return /^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name) ? `@${name}` : undefined;
}
