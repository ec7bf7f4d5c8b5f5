// The command queue's group maintenance through the gateway, against the Telegram emulator
// and a real NATS: unban lifts a ban (and leaves a member alone), sync publishes the
// group's and its channels' titles and counts, leave takes the bot out of the group and
// publishes group.bot_left — each with its outcome stored for the command's status.
import type { EventBus } from '@nezuko/kit';
import { create, TelegramActionSchema, type TelegramAction } from '@nezuko/proto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGateway,
  startNatsSpace,
  startTelegram,
  type NatsSpace,
  type RunningGateway,
  type Telegram,
} from './support/harness.ts';

describe('group maintenance actions', () => {
  let tg: Telegram;
  let space: NatsSpace;
  let gateway: RunningGateway;
  const w = { botId: 0, token: '', groupId: 0, channelId: 0, aliceId: 0, bobId: 0 };
  // NATS refuses the first group.bot_left: the redelivered leave must not call leaveChat again.
  let botLeftRefusals = 1;

  const user = async (first_name: string) =>
    (await tg.control<{ id: number }>('POST', '/control/users', { first_name })).id;
  const member = async (chatId: number, userId: number) => {
    const chat = await tg.control<{ members: { user: { id: number }; status: string }[] }>(
      'GET',
      `/control/chats/${chatId}`,
    );
    return chat.members.find((m) => m.user.id === userId)?.status;
  };
  const run = async (
    actionId: string,
    kind: MessageInitShape<typeof TelegramActionSchema>['kind'],
  ) => {
    const action: TelegramAction = create(TelegramActionSchema, {
      actionId,
      botId: String(w.botId),
      chatId: String(w.groupId),
      kind,
    });
    await space.bus.publishAction(action, { id: actionId });
    return (await space.waitForEvent('bot.action_executed', (e) => e.actionId === actionId)).event;
  };

  beforeAll(async () => {
    tg = await startTelegram();
    space = await startNatsSpace('gw-maint');
    const bot = await tg.control<{ id: number; token: string }>('POST', '/control/bots', {
      username: 'gate_bot',
      first_name: 'Gate',
    });
    const owner = await user('Olga');
    const group = await tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'supergroup',
      title: 'Readers',
      creator_id: owner,
      permissions: { can_send_messages: true },
    });
    await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, {
      status: 'administrator',
    });
    const channel = await tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'channel',
      title: 'News',
      username: 'news',
      creator_id: owner,
    });
    await tg.control('PUT', `/control/chats/${channel.id}/members/${bot.id}`, {
      status: 'administrator',
    });
    Object.assign(w, { botId: bot.id, token: bot.token, groupId: group.id, channelId: channel.id });
    w.aliceId = await user('Alice');
    w.bobId = await user('Bob');
    for (const id of [w.aliceId, w.bobId])
      await tg.control('POST', `/control/chats/${group.id}/join`, { user_id: id });
    await tg.control('POST', `/control/chats/${channel.id}/join`, { user_id: w.aliceId });
    const flakyBus: EventBus = {
      ...space.bus,
      publish: (type, event, options) => {
        if (type === 'group.bot_left' && botLeftRefusals > 0) {
          botLeftRefusals -= 1;
          return Promise.reject(new Error('NATS is unavailable'));
        }
        return space.bus.publish(type, event, options);
      },
    };
    gateway = await startGateway(space, { apiRoot: tg.url, token: w.token, bus: flakyBus });
  });

  afterAll(async () => {
    await gateway?.stop();
    await space?.close();
    await tg?.close();
  });

  it('unban lifts a ban so the user may come back, and leaves a member in the group', async () => {
    await tg.control('PUT', `/control/chats/${w.groupId}/members/${w.bobId}`, { status: 'kicked' });
    const unbanned = await run('cmd:unban-1', {
      case: 'unban',
      value: { userId: String(w.bobId) },
    });
    expect(unbanned).toMatchObject({ ok: true, kind: 'unban', method: 'unbanChatMember' });
    expect(unbanned.userId).toBe(String(w.bobId));
    expect(await member(w.groupId, w.bobId)).toBe('left');

    const kept = await run('cmd:unban-2', { case: 'unban', value: { userId: String(w.aliceId) } });
    expect(kept.ok).toBe(true);
    expect(await member(w.groupId, w.aliceId)).toBe('member');
  });

  it('sync publishes the group title, member count and each channel, an unknown one named', async () => {
    const done = await run('cmd:sync-1', {
      case: 'sync',
      value: { channelIds: [String(w.channelId), '-1009999999999'] },
    });
    expect(done).toMatchObject({ ok: true, kind: 'sync' });
    const synced = await space.waitForEvent('group.synced', (e) => e.actionId === 'cmd:sync-1');
    expect(synced.envelope.id).toBe('cmd:sync-1:synced');
    expect(synced.event).toMatchObject({
      groupId: String(w.groupId),
      botId: String(w.botId),
      title: 'Readers',
      // Olga, the bot and Alice (Bob was banned, then unbanned: not back yet).
      memberCount: 3,
      channels: [
        { channelId: String(w.channelId), title: 'News', subscriberCount: 3, error: '' },
        {
          channelId: '-1009999999999',
          title: '',
          subscriberCount: 0,
          error: expect.stringMatching(/chat not found/i) as string,
        },
      ],
    });
  });

  it('leave takes the bot out of the group and publishes group.bot_left, even after NATS refused it once', async () => {
    const left = await run('cmd:leave-1', { case: 'leave', value: {} });
    expect(left).toMatchObject({ ok: true, kind: 'leave', method: 'leaveChat' });
    const event = await space.waitForEvent('group.bot_left', (e) => e.actionId === 'cmd:leave-1');
    expect(event.event).toMatchObject({ groupId: String(w.groupId), botId: String(w.botId) });
    expect(await member(w.groupId, w.botId)).toBe('left');
    expect(botLeftRefusals).toBe(0);
    const leaveCalls = await tg.control<unknown[]>(
      'GET',
      `/control/requests?token=${w.token}&method=leaveChat`,
    );
    expect(leaveCalls).toHaveLength(1);
    const again = await run('cmd:sync-2', { case: 'sync', value: { channelIds: [] } });
    expect(again.ok).toBe(false);
  });
});
