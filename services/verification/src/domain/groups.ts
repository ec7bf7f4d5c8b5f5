// What verification knows about each protected group: whether protection is on, which
// bot serves it and which channels members must join. Rebuilt from the group events
// (`evolveGroup` is a pure fold) and kept in memory: it is small and read on every trigger.
import type { DomainEvent } from '@nezuko/proto';
import { defaultSettings, settingsFrom, type Settings } from './settings.ts';

export interface LinkedChannel {
  readonly id: string;
  readonly title: string;
  readonly username: string;
  readonly inviteLink: string;
}

export interface GroupConfig {
  readonly groupId: string;
  readonly title: string;
  readonly botId: string;
  readonly enabled: boolean;
  readonly channels: readonly LinkedChannel[];
  readonly settings: Settings;
}

export type GroupEvent = Extract<DomainEvent, { type: `group.${string}` }>;

export function isGroupEvent(event: DomainEvent): event is GroupEvent {
  return event.type.startsWith('group.');
}

export function evolveGroup(
  group: GroupConfig | undefined,
  event: GroupEvent,
): GroupConfig | undefined {
  switch (event.type) {
    case 'group.channel_linked': {
      const e = event.event;
      const channel: LinkedChannel = {
        id: e.channel?.id ?? '0',
        title: e.channel?.title ?? '',
        username: e.channel?.username ?? '',
        inviteLink: e.channel?.inviteLink ?? '',
      };
      const others = (group?.channels ?? []).filter((c) => c.id !== channel.id);
      return {
        groupId: e.groupId,
        title: e.groupTitle !== '' ? e.groupTitle : (group?.title ?? ''),
        botId: e.botId,
        // A group seen for the first time is protected as soon as a channel is linked.
        enabled: group?.enabled ?? true,
        channels: [...others, channel],
        settings: group?.settings ?? defaultSettings,
      };
    }
    case 'group.channel_unlinked': {
      if (!group) return undefined;
      return { ...group, channels: group.channels.filter((c) => c.id !== event.event.channelId) };
    }
    case 'group.enabled_changed': {
      const e = event.event;
      return group
        ? { ...group, enabled: e.enabled }
        : { ...unknownGroup(e.groupId), enabled: e.enabled };
    }
    case 'group.settings_changed': {
      const e = event.event;
      return { ...(group ?? unknownGroup(e.groupId)), settings: settingsFrom(e.settings) };
    }
    // The old id is gone; the group feed carries the configuration over to the new id.
    case 'group.migrated':
      return undefined;
    // The bot left on an admin's request: nothing serves the group until a bot links a
    // channel again (channel_linked names the bot).
    case 'group.bot_left':
      return group && group.botId === event.event.botId ? { ...group, botId: '0' } : group;
    case 'group.synced':
      return group && event.event.title !== '' ? { ...group, title: event.event.title } : group;
    default:
      return assertNever(event);
  }
}

/** A group configured (on the dashboard) before any channel was linked to it. */
function unknownGroup(groupId: string): GroupConfig {
  return { groupId, title: '', botId: '0', enabled: true, channels: [], settings: defaultSettings };
}

/** Protection applies only to an enabled group with at least one channel and a bot. */
export function isProtected(group: GroupConfig | undefined): group is GroupConfig {
  return group !== undefined && group.enabled && group.channels.length > 0 && group.botId !== '0';
}

function assertNever(value: never): never {
  throw new Error(`unhandled group event ${JSON.stringify(value)}`);
}
