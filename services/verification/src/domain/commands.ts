// Admin commands typed in a group, pure like the verification rules: each command asks for
// the facts it needs (is the sender an admin, what is this channel) and concludes with the
// group events to append and the reply to send. `/protect` links a channel; the other
// admin commands (/unprotect, /status, /settings) plug into `decideCommand`'s dispatch.
import {
  ChannelLinkedSchema,
  create,
  type ChannelLinked,
  type TelegramAction,
  type TelegramUser,
} from '@nezuko/proto';
import { actionsFor, channelName, type AdminCheck } from './facts.ts';
import type { GroupConfig, LinkedChannel } from './groups.ts';

export type ChannelLookup =
  | { readonly kind: 'found'; readonly type: string; readonly channel: LinkedChannel }
  | { readonly kind: 'not_found'; readonly reason: string };

export interface CommandFacts {
  readonly eventId: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly botId: string;
  readonly groupId: string;
  readonly groupTitle: string;
  readonly group: GroupConfig | undefined;
  readonly user: TelegramUser;
  readonly senderChatId: string;
  readonly messageId: string;
  /** Fresh (uncached) admin status of the sender: granting rights deserves a fresh answer. */
  readonly sender?: AdminCheck;
  readonly channel?: ChannelLookup;
}

export type CommandLookup =
  { readonly kind: 'sender' } | { readonly kind: 'channel'; readonly query: string };

export type CommandStep =
  | { readonly kind: 'lookup'; readonly lookup: CommandLookup }
  | { readonly kind: 'ignore'; readonly reason: string }
  | {
      readonly kind: 'decided';
      readonly linked: ChannelLinked | undefined;
      readonly actions: readonly TelegramAction[];
    };

export const onlyAdminsText = (command: string) => `Only group admins can use /${command}.`;

export function decideCommand(facts: CommandFacts): CommandStep {
  switch (facts.command) {
    case 'protect':
      return decideProtect(facts);
    default:
      return { kind: 'ignore', reason: `not a Nezuko command: /${facts.command}` };
  }
}

function decideProtect(facts: CommandFacts): CommandStep {
  const answer = (text: string) =>
    actionsFor(facts.eventId, facts.botId, facts.groupId).reply(text, facts.messageId);
  const reply = (text: string): CommandStep => ({
    kind: 'decided',
    linked: undefined,
    actions: [answer(text)],
  });

  // A message sent as the group itself comes from an anonymous admin.
  const anonymousAdmin = facts.senderChatId === facts.groupId;
  if (!anonymousAdmin) {
    if (!facts.sender) return { kind: 'lookup', lookup: { kind: 'sender' } };
    if (facts.sender.kind === 'error') {
      return reply(
        `I couldn't check your admin rights (${facts.sender.reason}). Make sure I'm an admin in this group.`,
      );
    }
    if (facts.sender.kind === 'not_admin') return reply(onlyAdminsText('protect'));
  }

  const query = channelQuery(facts.args[0]);
  if (!query) return reply('Usage: /protect @channel (or the channel’s numeric id).');
  if (!facts.channel) return { kind: 'lookup', lookup: { kind: 'channel', query } };
  if (facts.channel.kind === 'not_found') {
    return reply(
      `I can't find ${query} (${facts.channel.reason}). Check the name, and add me to the channel as an admin so I can see who joined.`,
    );
  }
  if (facts.channel.type !== 'channel') return reply(`${query} is not a channel.`);

  const channel = facts.channel.channel;
  if (facts.group?.channels.some((c) => c.id === channel.id)) {
    return reply(`Protection is already on: members must join ${channelName(channel)}.`);
  }
  return {
    kind: 'decided',
    linked: create(ChannelLinkedSchema, {
      groupId: facts.groupId,
      groupTitle: facts.groupTitle,
      channel,
      botId: facts.botId,
      actor: { who: { case: 'telegramUserId', value: facts.user.id } },
    }),
    actions: [answer(`Protection is on: members must join ${channelName(channel)}.`)],
  };
}

/** `@name`, `name`, `https://t.me/name` -> `@name`; a numeric id stays as it is. */
export function channelQuery(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  const trimmed = arg.trim();
  if (/^-?\d+$/.test(trimmed)) return trimmed;
  const name = trimmed.replace(/^(?:https?:\/\/)?(?:t\.me|telegram\.me)\//i, '').replace(/^@/, '');
  return /^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name) ? `@${name}` : undefined;
}
