// Admin commands, pure like the verification rules: each command asks for the facts it
// needs (is the sender an admin, what are these channels, what rights does the bot hold)
// and concludes with the group events to append and the replies to send. Only group
// admins (the cached admin list, or the anonymous admin posting as the group) may use
// them; in a private chat only /start and /help answer. /whitelist and /template change
// the settings the /settings keyboard has no button for.
import {
  groupName,
  isAdminStatus,
  type CommandFacts,
  type CommandStep,
  type Reply,
} from './commandFacts.ts';
import { actionsFor, channelName } from './facts.ts';
import { decideProtect, decideUnprotect } from './protection.ts';
import { decideTemplate, decideWhitelist } from './settingsCommands.ts';
import { settingsKeyboard } from './settingsKeyboard.ts';
import { textsFor, type Catalogue } from './texts.ts';

export type {
  ChannelLookup,
  CommandFacts,
  CommandLookup,
  CommandStep,
  GroupEventToAppend,
  InviteLookup,
  RightsLookup,
  TodayCounts,
} from './commandFacts.ts';
export { channelQuery } from './protection.ts';

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
