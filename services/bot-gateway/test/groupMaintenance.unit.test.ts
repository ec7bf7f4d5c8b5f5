// Given a group maintenance action (the command queue's unban_user, leave_group,
// sync_members), when it is performed against a scripted Telegram client, then these Bot
// API calls are made and this outcome (with the snapshot a sync publishes) is reported.
import { create, TelegramActionSchema, type TelegramAction } from '@nezuko/proto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { performAction } from '../src/actions/perform.ts';
import type { TelegramClient } from '../src/telegram/client.ts';

function scriptedClient(answers: Record<string, (chatId: number) => unknown>) {
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  const client = {
    call(method: string, payload: Record<string, unknown>) {
      calls.push({ method, payload });
      const answer = answers[method]?.(Number(payload['chat_id'])) ?? true;
      return answer instanceof TelegramError ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as TelegramClient;
  return { client, calls };
}

const action = (kind: MessageInitShape<typeof TelegramActionSchema>['kind']): TelegramAction =>
  create(TelegramActionSchema, { actionId: 'cmd:1', botId: '900', chatId: '-1001', kind });

describe('group maintenance actions', () => {
  it('unban lifts the ban only if banned, so a member in the group stays', async () => {
    const { client, calls } = scriptedClient({});
    const done = await performAction(client, action({ case: 'unban', value: { userId: '11' } }));
    expect(done).toMatchObject({ ok: true, method: 'unbanChatMember' });
    expect(calls).toEqual([
      { method: 'unbanChatMember', payload: { chat_id: -1001, user_id: 11, only_if_banned: true } },
    ]);
  });

  it('leave calls leaveChat and reports a refusal with Telegram words', async () => {
    const { client, calls } = scriptedClient({
      leaveChat: () =>
        new TelegramError({ error_code: 400, description: 'Bad Request: chat not found' }),
    });
    const left = await performAction(client, action({ case: 'leave', value: {} }));
    expect(calls.map((c) => c.method)).toEqual(['leaveChat']);
    expect(left).toMatchObject({
      ok: false,
      method: 'leaveChat',
      failure: { kind: 'rejected', errorCode: 400, description: 'Bad Request: chat not found' },
    });
  });

  it('sync reads the group and each linked channel; an unreadable channel is named, not fatal', async () => {
    const { client } = scriptedClient({
      getChat: (id) =>
        id === -1003
          ? new TelegramError({ error_code: 403, description: 'Forbidden: bot is not a member' })
          : { id, type: id === -1001 ? 'supergroup' : 'channel', title: `chat ${id}` },
      getChatMemberCount: (id) => (id === -1001 ? 42 : 1000),
    });
    const synced = await performAction(
      client,
      action({ case: 'sync', value: { channelIds: ['-1002', '-1003'] } }),
    );
    expect(synced.ok && synced.snapshot).toEqual({
      title: 'chat -1001',
      memberCount: 42,
      channels: [
        { channelId: '-1002', title: 'chat -1002', subscriberCount: 1000, error: '' },
        {
          channelId: '-1003',
          title: '',
          subscriberCount: 0,
          error: 'Forbidden: bot is not a member',
        },
      ],
    });
  });

  it('sync fails when the group itself cannot be read', async () => {
    const { client } = scriptedClient({
      getChatMemberCount: () =>
        new TelegramError({ error_code: 403, description: 'Forbidden: bot was kicked' }),
      getChat: (id) => ({ id, type: 'supergroup', title: 'g' }),
    });
    const synced = await performAction(client, action({ case: 'sync', value: { channelIds: [] } }));
    expect(synced).toMatchObject({ ok: false, method: 'getChatMemberCount' });
  });
});
