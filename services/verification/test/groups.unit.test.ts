// Given the group events so far, the group's configuration is...
import {
  ChannelLinkedSchema,
  ChannelUnlinkedSchema,
  create,
  GroupEnabledChangedSchema,
} from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import {
  evolveGroup,
  isProtected,
  type GroupConfig,
  type GroupEvent,
} from '../src/domain/groups.ts';

const linked = (channelId: string, title = 'News'): GroupEvent => ({
  type: 'group.channel_linked',
  event: create(ChannelLinkedSchema, {
    groupId: '-1001',
    groupTitle: 'Readers',
    botId: '900',
    channel: { id: channelId, title, username: 'news' },
  }),
});
const unlinked = (channelId: string): GroupEvent => ({
  type: 'group.channel_unlinked',
  event: create(ChannelUnlinkedSchema, { groupId: '-1001', channelId, botId: '900' }),
});
const enabled = (on: boolean): GroupEvent => ({
  type: 'group.enabled_changed',
  event: create(GroupEnabledChangedSchema, { groupId: '-1001', enabled: on }),
});

const fold = (events: GroupEvent[]) =>
  events.reduce<GroupConfig | undefined>((group, event) => evolveGroup(group, event), undefined);

describe('group configuration', () => {
  it('linking a channel protects the group', () => {
    const group = fold([linked('-1002')]);
    expect(group).toMatchObject({
      groupId: '-1001',
      title: 'Readers',
      botId: '900',
      enabled: true,
    });
    expect(group?.channels.map((c) => c.id)).toEqual(['-1002']);
    expect(isProtected(group)).toBe(true);
  });

  it('linking the same channel again updates it instead of adding a second', () => {
    const group = fold([linked('-1002'), linked('-1003'), linked('-1002', 'News (new name)')]);
    expect(group?.channels.map((c) => [c.id, c.title])).toEqual([
      ['-1003', 'News'],
      ['-1002', 'News (new name)'],
    ]);
  });

  it('unlinking the last channel leaves the group unprotected', () => {
    const group = fold([linked('-1002'), unlinked('-1002')]);
    expect(group?.channels).toEqual([]);
    expect(isProtected(group)).toBe(false);
  });

  it('disabling keeps the channels but stops protection; enabling resumes it', () => {
    const off = fold([linked('-1002'), enabled(false)]);
    expect(off?.channels).toHaveLength(1);
    expect(isProtected(off)).toBe(false);
    expect(isProtected(fold([linked('-1002'), enabled(false), enabled(true)]))).toBe(true);
  });

  it('a group disabled before any channel was linked stays disabled when one is', () => {
    expect(isProtected(fold([enabled(false), linked('-1002')]))).toBe(false);
  });
});
