// The gateway against the Telegram emulator and a real NATS: updates become stored facts,
// actions become Bot API calls with their outcomes stored, look-ups are answered, and
// failures (429, refused calls, malformed updates, NATS refusing writes) are survived.
import { request, type EventBus } from '@nezuko/kit';
import {
  BotStatus,
  create,
  GetChatMemberReplySchema,
  GetChatMemberRequestSchema,
  GetChatReplySchema,
  GetChatRequestSchema,
  JoinSource,
  subjects,
  TelegramActionSchema,
  type TelegramAction,
} from '@nezuko/proto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  startGateway,
  startNatsSpace,
  startTelegram,
  testKeyring,
  type NatsSpace,
  type RunningGateway,
  type Telegram,
} from './support/harness.ts';
import { startUpdateTamperer } from './support/updateTamperer.ts';

interface World {
  token: string;
  botId: number;
  ownerId: number;
  aliceId: number;
  bobId: number;
  groupId: number;
  channelId: number;
}

/** A supergroup owned by Olga with the bot as admin, a public channel @news, Alice and Bob. */
async function buildWorld(tg: Telegram): Promise<World> {
  const bot = await tg.control<{ id: number; token: string }>('POST', '/control/bots', {
    username: 'gate_bot',
    first_name: 'Gate',
  });
  const owner = await tg.control<{ id: number }>('POST', '/control/users', {
    first_name: 'Olga',
    username: 'olga',
  });
  const alice = await tg.control<{ id: number }>('POST', '/control/users', {
    first_name: 'Alice',
    username: 'alice',
  });
  const bob = await tg.control<{ id: number }>('POST', '/control/users', { first_name: 'Bob' });
  const group = await tg.control<{ id: number }>('POST', '/control/chats', {
    type: 'supergroup',
    title: 'Readers',
    creator_id: owner.id,
    permissions: { can_send_messages: true, can_pin_messages: false, can_change_info: false },
  });
  await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, {
    status: 'administrator',
  });
  const channel = await tg.control<{ id: number }>('POST', '/control/chats', {
    type: 'channel',
    title: 'News',
    username: 'news',
    creator_id: owner.id,
  });
  await tg.control('PUT', `/control/chats/${channel.id}/members/${bot.id}`, {
    status: 'administrator',
  });
  return {
    token: bot.token,
    botId: bot.id,
    ownerId: owner.id,
    aliceId: alice.id,
    bobId: bob.id,
    groupId: group.id,
    channelId: channel.id,
  };
}

type ActionKind = MessageInitShape<typeof TelegramActionSchema>['kind'];

function action(w: World, actionId: string, kind: ActionKind, chatId = w.groupId): TelegramAction {
  return create(TelegramActionSchema, {
    actionId,
    botId: String(w.botId),
    chatId: String(chatId),
    kind,
  });
}

async function member(tg: Telegram, chatId: number, userId: number) {
  const chat = await tg.control<{
    members: {
      user: { id: number };
      status: string;
      is_member?: boolean;
      can_send_messages?: boolean;
    }[];
  }>('GET', `/control/chats/${chatId}`);
  return chat.members.find((m) => m.user.id === userId);
}

async function calls(tg: Telegram, w: World, method: string) {
  return tg.control<{ ok: boolean; error_code?: number; time: number }[]>(
    'GET',
    `/control/requests?token=${w.token}&method=${method}`,
  );
}

describe('bot gateway', () => {
  let tg: Telegram;
  let space: NatsSpace;
  let w: World;
  let gateway: RunningGateway;

  beforeAll(async () => {
    tg = await startTelegram();
    space = await startNatsSpace('gw');
    w = await buildWorld(tg);
    gateway = await startGateway(space, { apiRoot: tg.url, token: w.token });
  });

  afterAll(async () => {
    await gateway?.stop();
    await space?.close();
    await tg?.close();
  });

  afterEach(async () => {
    await tg.control('DELETE', '/control/faults');
  });

  it('registers the bot with its token sealed, never in clear, and reports it running', async () => {
    const registered = await space.waitForEvent('bot.registered');
    expect(registered.event).toMatchObject({
      botId: String(w.botId),
      username: 'gate_bot',
      firstName: 'Gate',
    });
    expect(registered.event.token?.keyId).toBe(testKeyring.activeKeyId);
    expect(testKeyring.open(registered.event.token!)).toBe(w.token);
    const running = await space.waitForEvent(
      'bot.status_changed',
      (e) => e.status === BotStatus.RUNNING,
    );
    expect(running.event.reason).toBe('started');
    const secret = w.token.split(':')[1] ?? 'missing';
    expect(
      JSON.stringify(space.events, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    ).not.toContain(secret);
  });

  it('turns a join into member_joined facts, one per report, keyed by update id', async () => {
    await tg.control('POST', `/control/chats/${w.groupId}/join`, { user_id: w.aliceId });
    await eventually(() =>
      expect(
        space.eventsOf('chat.member_joined', (e) => e.user?.id === String(w.aliceId)),
      ).toHaveLength(2),
    );
    const joins = space.events.filter((e) => e.event.type === 'chat.member_joined');
    const sources = joins.map((e) =>
      e.event.type === 'chat.member_joined' ? e.event.event.source : undefined,
    );
    expect(sources.sort()).toEqual([JoinSource.CHAT_MEMBER, JoinSource.SERVICE_MESSAGE]);
    for (const join of joins)
      expect(join.envelope.id).toMatch(new RegExp(`^tg:${w.botId}:\\d+(:${w.aliceId})?$`));
  });

  it('turns messages and commands into facts; a command for another bot is ignored', async () => {
    await tg.control('POST', `/control/chats/${w.groupId}/messages`, {
      user_id: w.ownerId,
      text: '/protect@other_bot @news',
    });
    await tg.control('POST', `/control/chats/${w.groupId}/messages`, {
      user_id: w.ownerId,
      text: '/Protect@gate_bot  @news',
    });
    const sent = await tg.control<{ message_id: number }>(
      'POST',
      `/control/chats/${w.groupId}/messages`,
      { user_id: w.ownerId, text: 'hello' },
    );
    const command = await space.waitForEvent('chat.command_received');
    expect(command.event).toMatchObject({
      command: 'protect',
      args: ['@news'],
      groupId: String(w.groupId),
      groupTitle: 'Readers',
    });
    const message = await space.waitForEvent(
      'chat.message_received',
      (e) => e.messageId === String(sent.message_id),
    );
    expect(message.event.user?.id).toBe(String(w.ownerId));
    expect(space.eventsOf('chat.command_received')).toHaveLength(1);
  });

  it('reports channel membership changes', async () => {
    await tg.control('POST', `/control/chats/${w.channelId}/join`, { user_id: w.bobId });
    const changed = await space.waitForEvent(
      'channel.member_changed',
      (e) => e.userId === String(w.bobId),
    );
    expect(changed.event).toMatchObject({
      channelId: String(w.channelId),
      oldStatus: 'left',
      newStatus: 'member',
    });
  });

  it('answers get_chat_member and get_chat, with Telegram errors inside the reply', async () => {
    const ask = (chatId: number, userId: number) =>
      request(
        space.nc,
        space.names,
        subjects.rpc(String(w.botId), 'get_chat_member'),
        GetChatMemberRequestSchema,
        create(GetChatMemberRequestSchema, { chatId: String(chatId), userId: String(userId) }),
        GetChatMemberReplySchema,
      );
    expect(await ask(w.groupId, w.ownerId)).toMatchObject({ status: 'creator', isMember: true });
    expect(await ask(w.channelId, w.ownerId)).toMatchObject({ status: 'creator', isMember: true });
    expect(await ask(w.channelId, w.aliceId)).toMatchObject({ status: 'left', isMember: false });

    const chat = (query: string) =>
      request(
        space.nc,
        space.names,
        subjects.rpc(String(w.botId), 'get_chat'),
        GetChatRequestSchema,
        create(GetChatRequestSchema, { chat: query }),
        GetChatReplySchema,
      );
    expect(await chat('@news')).toMatchObject({
      id: String(w.channelId),
      type: 'channel',
      title: 'News',
      username: 'news',
    });
    expect(await chat(String(w.groupId))).toMatchObject({ type: 'supergroup', title: 'Readers' });
    const missing = await chat('@nowhere_at_all');
    expect(missing.error).toMatchObject({ errorCode: 400 });
    expect(missing.error?.description).toMatch(/chat not found/i);
  });

  it('mutes, prompts, deletes and lifts, storing one outcome per action', async () => {
    await space.bus.publishAction(
      action(w, 'a1:restrict', {
        case: 'restrict',
        value: { userId: String(w.aliceId), untilDate: 0 },
      }),
      { id: 'a1:restrict' },
    );
    await space.bus.publishAction(
      action(w, 'a1:prompt', {
        case: 'prompt',
        value: {
          userId: String(w.aliceId),
          text: 'Alice, please join @news',
          buttons: [
            { text: 'Join News', url: 'https://t.me/news' },
            { text: 'Verify', callbackData: `nz:v:${w.aliceId}` },
          ],
        },
      }),
      { id: 'a1:prompt' },
    );
    const restricted = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'a1:restrict',
    );
    expect(restricted.envelope.id).toBe('a1:restrict:done');
    expect(restricted.event).toMatchObject({
      ok: true,
      method: 'restrictChatMember',
      kind: 'restrict',
      userId: String(w.aliceId),
    });
    expect(await member(tg, w.groupId, w.aliceId)).toMatchObject({
      status: 'restricted',
      is_member: true,
      can_send_messages: false,
    });

    const prompted = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'a1:prompt',
    );
    expect(prompted.event).toMatchObject({ ok: true, method: 'sendMessage' });
    const promptId = Number(prompted.event.resultMessageId);
    const messages = await tg.control<
      { message_id: number; reply_markup?: { inline_keyboard: unknown[][] } }[]
    >('GET', `/control/chats/${w.groupId}/messages`);
    const prompt = messages.find((m) => m.message_id === promptId);
    expect(prompt?.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Join News', url: 'https://t.me/news' }],
      [{ text: 'Verify', callback_data: `nz:v:${w.aliceId}` }],
    ]);

    await space.bus.publishAction(
      action(w, 'a1:delete', { case: 'delete', value: { messageId: String(promptId) } }),
      { id: 'a1:delete' },
    );
    await space.bus.publishAction(
      action(w, 'a2:delete', { case: 'delete', value: { messageId: String(promptId) } }),
      { id: 'a2:delete' },
    );
    await space.bus.publishAction(
      action(w, 'a1:lift', { case: 'lift', value: { userId: String(w.aliceId) } }),
      { id: 'a1:lift' },
    );
    expect(
      (await space.waitForEvent('bot.action_executed', (e) => e.actionId === 'a1:delete')).event.ok,
    ).toBe(true);
    const again = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'a2:delete',
    );
    expect(again.event).toMatchObject({ ok: true, description: 'already deleted' });
    expect(
      (await space.waitForEvent('bot.action_executed', (e) => e.actionId === 'a1:lift')).event.ok,
    ).toBe(true);
    // Lifted to exactly the group's defaults: Telegram then shows an ordinary member.
    expect(await member(tg, w.groupId, w.aliceId)).toMatchObject({ status: 'member' });
  });

  it('stores a refused call as a failed outcome and does not retry it', async () => {
    await space.bus.publishAction(
      action(w, 'a3:answer', {
        case: 'answerCallback',
        value: { callbackQueryId: 'no-such-query', text: 'hi', showAlert: false },
      }),
      { id: 'a3:answer' },
    );
    const failed = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'a3:answer',
    );
    expect(failed.event).toMatchObject({
      ok: false,
      errorCode: 400,
      method: 'answerCallbackQuery',
    });
    expect(failed.event.description).toMatch(/query/i);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await calls(tg, w, 'answerCallbackQuery')).toHaveLength(1);
  });

  it('waits out a 429 on restrictChatMember and then restricts exactly once', async () => {
    await tg.control('POST', '/control/faults', {
      method: 'restrictChatMember',
      error_code: 429,
      retry_after: 1,
      times: 1,
    });
    const before = (await calls(tg, w, 'restrictChatMember')).length;
    await space.bus.publishAction(
      action(w, 'a4:restrict', {
        case: 'restrict',
        value: { userId: String(w.bobId), untilDate: 0 },
      }),
      { id: 'a4:restrict' },
    );
    await tg.control('POST', `/control/chats/${w.groupId}/join`, { user_id: w.bobId });
    const done = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === 'a4:restrict',
      15_000,
    );
    expect(done.event).toMatchObject({ ok: true, errorCode: 0 });
    const attempts = (await calls(tg, w, 'restrictChatMember')).slice(before);
    expect(attempts.map((a) => a.error_code ?? 200)).toEqual([429, 200]);
    const [limited, passed] = attempts;
    expect((passed?.time ?? 0) - (limited?.time ?? 0)).toBeGreaterThanOrEqual(950);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(space.eventsOf('bot.action_executed', (e) => e.actionId === 'a4:restrict')).toHaveLength(
      1,
    );
  });
});

describe('bot gateway under failure', () => {
  let tg: Telegram;
  let space: NatsSpace;
  let w: World;

  beforeAll(async () => {
    tg = await startTelegram();
    space = await startNatsSpace('gwf');
    w = await buildWorld(tg);
  });

  afterAll(async () => {
    await space?.close();
    await tg?.close();
  });

  it('skips malformed updates and keeps polling', async () => {
    const tamperer = await startUpdateTamperer(tg.url);
    const gateway = await startGateway(space, { apiRoot: tamperer.url, token: w.token });
    try {
      tamperer.injectBeforeNextBatch((first) => [
        'not an update',
        { update_id: first, message: { message_id: 'x', chat: null } },
        { update_id: first, callback_query: { from: { id: 1 } } },
      ]);
      const first = await tg.control<{ message_id: number }>(
        'POST',
        `/control/chats/${w.groupId}/messages`,
        { user_id: w.ownerId, text: 'one' },
      );
      await space.waitForEvent(
        'chat.message_received',
        (e) => e.messageId === String(first.message_id),
      );
      const second = await tg.control<{ message_id: number }>(
        'POST',
        `/control/chats/${w.groupId}/messages`,
        { user_id: w.ownerId, text: 'two' },
      );
      await space.waitForEvent(
        'chat.message_received',
        (e) => e.messageId === String(second.message_id),
      );
      expect(await gateway.app.checks.bots?.()).toBe(true);
    } finally {
      await gateway.stop();
      await tamperer.close();
    }
  });

  it('reports ERROR while getUpdates fails and RUNNING once it recovers, with heartbeats in between', async () => {
    const gateway = await startGateway(space, {
      apiRoot: tg.url,
      token: w.token,
      heartbeatMs: 200,
    });
    try {
      await space.waitForEvent(
        'bot.status_changed',
        (e) => e.reason === 'heartbeat' && e.status === BotStatus.RUNNING,
      );
      await tg.control('POST', '/control/faults', {
        method: 'getUpdates',
        error_code: 502,
        times: 2,
      });
      // Wake the held long poll so the next getUpdates meets the fault.
      const sent = await tg.control<{ message_id: number }>(
        'POST',
        `/control/chats/${w.groupId}/messages`,
        { user_id: w.ownerId, text: 'wake' },
      );
      const error = await space.waitForEvent(
        'bot.status_changed',
        (e) => e.status === BotStatus.ERROR,
      );
      expect(error.event.reason).toMatch(/^getUpdates failed: 502/);
      await space.waitForEvent(
        'bot.status_changed',
        (e) => e.status === BotStatus.RUNNING && e.reason === 'polling recovered',
      );
      await space.waitForEvent(
        'chat.message_received',
        (e) => e.messageId === String(sent.message_id),
      );
      const beats = space.eventsOf('bot.status_changed', (e) => e.reason === 'heartbeat');
      expect(Math.max(...beats.map((b) => b.uptimeSeconds))).toBeGreaterThanOrEqual(0);
    } finally {
      await gateway.stop();
    }
  });

  it('retries storing a fact until NATS takes it instead of dropping the update, and reports STOPPED', async () => {
    let refusals = 3;
    const flakyBus: EventBus = {
      ...space.bus,
      publish: (type, event, options) => {
        if (type === 'chat.message_received' && refusals > 0) {
          refusals -= 1;
          return Promise.reject(new Error('NATS is unavailable'));
        }
        return space.bus.publish(type, event, options);
      },
    };
    const gateway = await startGateway(space, { apiRoot: tg.url, token: w.token, bus: flakyBus });
    const sent = await tg.control<{ message_id: number }>(
      'POST',
      `/control/chats/${w.groupId}/messages`,
      { user_id: w.ownerId, text: 'keep me' },
    );
    const stored = await space.waitForEvent(
      'chat.message_received',
      (e) => e.messageId === String(sent.message_id),
    );
    expect(refusals).toBe(0);
    expect(stored.event.user?.id).toBe(String(w.ownerId));
    await gateway.stop();
    await space.waitForEvent('bot.status_changed', (e) => e.status === BotStatus.STOPPED);
  });
});
