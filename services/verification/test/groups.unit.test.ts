// Given the group events so far, the group's configuration is...
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  ChannelLinkedSchema,
  ChannelUnlinkedSchema,
  create,
  FailureAction,
  GroupBotLeftSchema,
  GroupEnabledChangedSchema,
  GroupSettingsChangedSchema,
  GroupSettingsSchema,
  LeaveReaction,
} from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import {
  evolveGroup,
  isProtected,
  type GroupConfig,
  type GroupEvent,
} from '../src/domain/groups.ts';
import { defaultSettings, settingsFrom, toSettingsMessage } from '../src/domain/settings.ts';

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
  it('the bot leaving (leave_group) ends protection until a bot links a channel again', () => {
    const left: GroupEvent = {
      type: 'group.bot_left',
      event: create(GroupBotLeftSchema, { groupId: '-1001', botId: '900' }),
    };
    const afterLeave = fold([linked('-1002'), left]);
    expect(afterLeave && isProtected(afterLeave)).toBe(false);
    const back = fold([linked('-1002'), left, linked('-1003')]);
    expect(back && isProtected(back)).toBe(true);
  });

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

describe('group settings', () => {
  const settingsChanged = (settings: MessageInitShape<typeof GroupSettingsSchema>): GroupEvent => ({
    type: 'group.settings_changed',
    event: create(GroupSettingsChangedSchema, {
      groupId: '-1001',
      settings: create(GroupSettingsSchema, settings),
    }),
  });

  it('a protected group starts with the defaults', () => {
    expect(fold([linked('-1002')])?.settings).toEqual(defaultSettings);
  });

  it('the last settings event wins, zero values meaning the defaults', () => {
    const group = fold([
      linked('-1002'),
      settingsChanged({ failureAction: FailureAction.BAN, underAttack: true }),
      settingsChanged({
        failureAction: FailureAction.MUTE_FOR_MINUTES,
        whitelistUserIds: ['11'],
        leaveReaction: LeaveReaction.AT_ONCE,
      }),
    ]);
    expect(group?.settings).toEqual({
      ...defaultSettings,
      failureAction: 'mute_for',
      muteMinutes: 60,
      whitelist: ['11'],
      leaveReaction: 'at_once',
    });
    expect(group?.channels).toHaveLength(1);
  });

  it('settings for a group not protected yet are kept for when it is', () => {
    const group = fold([settingsChanged({ underAttack: true }), linked('-1002')]);
    expect(group?.settings.underAttack).toBe(true);
    expect(isProtected(group)).toBe(true);
  });

  it('settings survive the round trip through the event message', () => {
    const settings = { ...defaultSettings, failureAction: 'kick' as const, whitelist: ['5'] };
    expect(settingsFrom(toSettingsMessage(settings))).toEqual(settings);
  });
});
