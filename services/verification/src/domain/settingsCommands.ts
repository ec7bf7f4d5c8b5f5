// /whitelist and /template: the settings the /settings keyboard has no button for. Each
// appends the group's whole settings with one thing changed, and says so.
import { create, GroupSettingsChangedSchema } from '@nezuko/proto';
import {
  actor,
  groupName,
  type CommandFacts,
  type CommandStep,
  type Reply,
} from './commandFacts.ts';
import { actionsFor, channelName } from './facts.ts';
import { defaultSettings, toSettingsMessage, type Settings } from './settings.ts';
import { fillTemplate, type Catalogue } from './texts.ts';

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

export function decideWhitelist(facts: CommandFacts, texts: Catalogue, reply: Reply): CommandStep {
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

export function decideTemplate(facts: CommandFacts, texts: Catalogue): CommandStep {
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
