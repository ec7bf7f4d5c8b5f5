// /protect and /unprotect: which channels a group requires. /protect checks that the bot
// can enforce (admin in the group with restrict + delete, admin in each channel) and says
// exactly what is missing; /unprotect unlinks one channel or all, freeing whom Nezuko muted
// once none is left.
import { ChannelLinkedSchema, ChannelUnlinkedSchema, create } from '@nezuko/proto';
import {
  actor,
  isAdminStatus,
  type CommandFacts,
  type CommandStep,
  type Reply,
  type RightsLookup,
} from './commandFacts.ts';
import { actionsFor, channelName } from './facts.ts';
import type { LinkedChannel } from './groups.ts';
import type { Catalogue } from './texts.ts';

export function decideProtect(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
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

export function decideUnprotect(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
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

function groupRightsMissing(rights: RightsLookup, texts: Catalogue): string[] {
  if (rights.kind === 'error' || !isAdminStatus(rights.status)) return [texts.rightNames.admin];
  return [
    ...(rights.canRestrict ? [] : [texts.rightNames.restrict]),
    ...(rights.canDelete ? [] : [texts.rightNames.delete]),
  ];
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
