// Given an action, when it is performed against a recording Telegram client, then these
// Bot API calls are made and this outcome is reported. (Issue 3's new action kinds.)
import { create, TelegramActionSchema, type TelegramAction } from '@nezuko/proto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { performAction } from '../src/actions/perform.ts';
import type { TelegramClient } from '../src/telegram/client.ts';

function recordingClient(fail?: { method: string; description: string }) {
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  const client = {
    call(method: string, payload: Record<string, unknown>) {
      calls.push({ method, payload });
      if (fail?.method === method)
        return Promise.reject(
          new TelegramError({ error_code: 400, description: fail.description }),
        );
      return Promise.resolve(method === 'sendMessage' ? { message_id: 5 } : true);
    },
  } as unknown as TelegramClient;
  return { client, calls };
}

const action = (kind: MessageInitShape<typeof TelegramActionSchema>['kind']): TelegramAction =>
  create(TelegramActionSchema, { actionId: 'a:1', botId: '900', chatId: '-1001', kind });

describe('the admin/member action kinds', () => {
  it('kick: banned, then unbanned only if banned, so the member may come back', async () => {
    const { client, calls } = recordingClient();
    const done = await performAction(
      client,
      action({ case: 'remove', value: { userId: '11', kick: true } }),
    );
    expect(done.ok).toBe(true);
    expect(calls).toEqual([
      { method: 'banChatMember', payload: { chat_id: -1001, user_id: 11 } },
      { method: 'unbanChatMember', payload: { chat_id: -1001, user_id: 11, only_if_banned: true } },
    ]);
  });

  it('ban: banned for good, no unban', async () => {
    const { client, calls } = recordingClient();
    await performAction(client, action({ case: 'remove', value: { userId: '11', kick: false } }));
    expect(calls.map((c) => c.method)).toEqual(['banChatMember']);
  });

  it('approve and decline a join request', async () => {
    const { client, calls } = recordingClient();
    await performAction(client, action({ case: 'approveJoin', value: { userId: '11' } }));
    await performAction(client, action({ case: 'declineJoin', value: { userId: '12' } }));
    expect(calls).toEqual([
      { method: 'approveChatJoinRequest', payload: { chat_id: -1001, user_id: 11 } },
      { method: 'declineChatJoinRequest', payload: { chat_id: -1001, user_id: 12 } },
    ]);
  });

  it('a text with buttons lays them out one per row', async () => {
    const { client, calls } = recordingClient();
    const sent = await performAction(
      client,
      action({
        case: 'sendText',
        value: {
          text: 'Settings',
          buttons: [
            { text: 'Under attack: off', callbackData: 'nz:s:attack' },
            { text: 'Join News', url: 'https://t.me/news' },
          ],
        },
      }),
    );
    expect(sent).toMatchObject({ ok: true, resultMessageId: '5' });
    expect(calls[0]?.payload.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'Under attack: off', callback_data: 'nz:s:attack' }],
        [{ text: 'Join News', url: 'https://t.me/news' }],
      ],
    });
  });

  it('editing to the same text counts as done', async () => {
    const { client } = recordingClient({
      method: 'editMessageText',
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same',
    });
    const edited = await performAction(
      client,
      action({ case: 'editText', value: { messageId: '7', text: 'Settings', buttons: [] } }),
    );
    expect(edited).toMatchObject({ ok: true, note: 'not modified' });
  });
});
