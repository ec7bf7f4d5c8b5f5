import {
  ActionExecutedSchema,
  ChannelLinkedSchema,
  ChannelUnlinkedSchema,
  CommandStatus,
  create,
} from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../src/commandOutcomes.ts';
import {
  actionFor,
  commandTypes,
  linkedChannelIds,
  type CommandType,
} from '../src/commandQueue.ts';

const ids = { actionId: 'cmd:abc', botId: '7000000001' };
const command = (type: CommandType) => ({
  type,
  channelIds: ['-1002'],
  groupId: '-1001',
  userId: '42',
  messageId: '9',
  text: 'hello',
  untilDate: 1_900_000_000,
});

describe('admin command -> Telegram action', () => {
  it.each([
    ['ban_user', 'remove', { userId: '42', kick: false, untilDate: 1_900_000_000 }],
    ['mute_user', 'restrict', { userId: '42', untilDate: 1_900_000_000 }],
    ['unmute_user', 'lift', { userId: '42' }],
    ['send_message', 'sendText', { text: 'hello' }],
    ['delete_message', 'delete', { messageId: '9' }],
    ['unban_user', 'unban', { userId: '42' }],
    ['leave_group', 'leave', {}],
    ['sync_members', 'sync', { channelIds: ['-1002'] }],
  ] as const)('%s becomes %s on the group with the command id', (type, kind, value) => {
    const action = actionFor(command(type), ids);
    expect(action).toMatchObject({ actionId: 'cmd:abc', botId: ids.botId, chatId: '-1001' });
    expect(action?.kind.case).toBe(kind);
    expect(action?.kind.value).toMatchObject(value);
  });

  it('gives only reverify_group no Telegram action (verification carries it out)', () => {
    const unsupported = commandTypes.filter((t) => actionFor(command(t), ids) === null);
    expect(unsupported).toEqual(['reverify_group']);
  });

  it('knows which channels are linked now from the group events', () => {
    const linked = (id: string) =>
      ({
        type: 'group.channel_linked',
        event: create(ChannelLinkedSchema, { groupId: '-1001', channel: { id } }),
      }) as const;
    const unlinked = (channelId: string) =>
      ({
        type: 'group.channel_unlinked',
        event: create(ChannelUnlinkedSchema, { groupId: '-1001', channelId }),
      }) as const;
    expect(linkedChannelIds([linked('-1'), linked('-2'), unlinked('-1'), linked('-2')])).toEqual([
      '-2',
    ]);
  });
});

describe('reported action -> command status', () => {
  const executed = (actionId: string, ok: boolean) =>
    create(ActionExecutedSchema, {
      actionId,
      botId: '1',
      chatId: '-1001',
      ok,
      errorCode: ok ? 0 : 403,
      description: ok ? '' : 'Forbidden: bot was kicked from the supergroup chat',
    });

  it('settles a command as succeeded or failed with Telegram’s error', () => {
    expect(outcomeOf(executed('cmd:1', true))).toMatchObject({
      commandId: 'cmd:1',
      status: CommandStatus.SUCCEEDED,
      description: '',
    });
    expect(outcomeOf(executed('cmd:2', false))).toMatchObject({
      status: CommandStatus.FAILED,
      errorCode: 403,
      description: expect.stringContaining('kicked') as string,
    });
  });

  it('ignores actions that verification asked for', () => {
    expect(outcomeOf(executed('tg:1:2:restrict', true))).toBeNull();
  });
});
