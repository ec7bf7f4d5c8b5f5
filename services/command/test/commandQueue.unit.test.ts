import { ActionExecutedSchema, CommandStatus, create } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../src/commandOutcomes.ts';
import { actionFor, commandTypes, type CommandType } from '../src/commandQueue.ts';

const ids = { actionId: 'cmd:abc', botId: '7000000001' };
const command = (type: CommandType) => ({
  type,
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
  ] as const)('%s becomes %s on the group with the command id', (type, kind, value) => {
    const action = actionFor(command(type), ids);
    expect(action).toMatchObject({ actionId: 'cmd:abc', botId: ids.botId, chatId: '-1001' });
    expect(action?.kind.case).toBe(kind);
    expect(action?.kind.value).toMatchObject(value);
  });

  it('has no action for what the gateway cannot do yet', () => {
    const unsupported = commandTypes.filter((t) => actionFor(command(t), ids) === null);
    expect(unsupported).toEqual(['unban_user', 'sync_members', 'leave_group', 'reverify_group']);
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
