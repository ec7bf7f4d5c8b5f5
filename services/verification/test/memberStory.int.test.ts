// The whole member story through real parts: the Telegram emulator, the bot gateway and
// the verification service in-process on one NATS namespace, Redis for the cache.
import { createEventBus } from '@nezuko/kit';
import { testEnv } from '@nezuko/kit/testing';
import { VerificationOutcome, VerificationTrigger } from '@nezuko/proto';
import {
  eventually,
  quietLogger,
  startGateway,
  startNatsSpace,
  startTelegram,
  type NatsSpace,
  type RunningGateway,
  type Telegram,
} from '@nezuko/bot-gateway/testing';
import { metrics } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerificationApp, type VerificationApp } from '../src/app.ts';
import { groupDefaults } from './support/world.ts';

interface ChatMessage {
  message_id: number;
  text?: string;
  deleted: boolean;
  sent_by_bot_id?: number;
  from?: { id: number };
  reply_markup?: { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] };
}

interface Member {
  user: { id: number };
  status: string;
  can_send_messages?: boolean;
  can_send_photos?: boolean;
  can_pin_messages?: boolean;
  can_change_info?: boolean;
}

describe('the member story', () => {
  let tg: Telegram;
  let space: NatsSpace;
  let gateway: RunningGateway;
  let verification: VerificationApp;
  let redis: Redis;
  let ids: {
    bot: number;
    olga: number;
    alice: number;
    bob: number;
    group: number;
    channel: number;
  };
  /** The join's restrict, held back by the flood wait. */
  let heldRestrictId = '';

  const messages = () => tg.control<ChatMessage[]>('GET', `/control/chats/${ids.group}/messages`);
  const prompts = async () =>
    (await messages()).filter((m) => m.sent_by_bot_id === ids.bot && m.reply_markup !== undefined);
  const member = async (chatId: number, userId: number) =>
    (await tg.control<{ members: Member[] }>('GET', `/control/chats/${chatId}`)).members.find(
      (m) => m.user.id === userId,
    );
  const write = (userId: number, text: string) =>
    tg.control<ChatMessage>('POST', `/control/chats/${ids.group}/messages`, {
      user_id: userId,
      text,
    });
  const press = (userId: number, messageId: number, data: string) =>
    tg.control<{ callback_query_id: string }>('POST', '/control/callback', {
      user_id: userId,
      chat_id: ids.group,
      message_id: messageId,
      data,
    });
  const answerOf = (queryId: string) =>
    eventually(async () => {
      const query = await tg.control<{
        answered: boolean;
        answer?: { text?: string; show_alert?: boolean };
      }>('GET', `/control/callbacks/${queryId}`);
      if (!query.answered) throw new Error('not answered yet');
      return query.answer ?? {};
    });
  const decisions = (outcome: VerificationOutcome, trigger: VerificationTrigger) =>
    space.eventsOf(
      'verify.decided',
      (d) => d.outcome === outcome && d.trigger === trigger && d.user?.id === String(ids.alice),
    );

  beforeAll(async () => {
    tg = await startTelegram();
    const bot = await tg.control<{ id: number; token: string }>('POST', '/control/bots', {
      username: 'gate_bot',
      first_name: 'Gate',
    });
    const olga = await tg.control<{ id: number }>('POST', '/control/users', {
      first_name: 'Olga',
      username: 'olga',
    });
    const alice = await tg.control<{ id: number }>('POST', '/control/users', {
      first_name: 'Alice',
      username: 'alice',
    });
    const bob = await tg.control<{ id: number }>('POST', '/control/users', {
      first_name: 'Bob',
      username: 'bob_b',
    });
    const group = await tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'supergroup',
      title: 'Readers',
      creator_id: olga.id,
      permissions: groupDefaults,
    });
    await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, {
      status: 'administrator',
    });
    const channel = await tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'channel',
      title: 'News',
      username: 'news',
      creator_id: olga.id,
    });
    await tg.control('PUT', `/control/chats/${channel.id}/members/${bot.id}`, {
      status: 'administrator',
    });
    ids = {
      bot: bot.id,
      olga: olga.id,
      alice: alice.id,
      bob: bob.id,
      group: group.id,
      channel: channel.id,
    };

    space = await startNatsSpace('story');
    gateway = await startGateway(space, { apiRoot: tg.url, token: bot.token });
    redis = new Redis(testEnv().redisUrl);
    verification = createVerificationApp({
      config: {
        CACHE_POSITIVE_TTL_SECONDS: 600,
        CACHE_NEGATIVE_TTL_SECONDS: 60,
        CACHE_JITTER: 0.15,
        PROMPT_TTL_SECONDS: 3600,
        REPLY_DELETE_AFTER_SECONDS: 0,
        SCHEDULER_TICK_MS: 200,
        RECONCILE_INTERVAL_SECONDS: 0,
        RECONCILE_BATCH: 50,
        RECHECK_AFTER_SECONDS: 3600,
        ACTIVE_WINDOW_SECONDS: 86400,
        ATTACK_SUMMARY_DELAY_SECONDS: 1,
        RAID_JOIN_THRESHOLD: 0,
        RAID_WINDOW_SECONDS: 10,
      },
      nc: space.nc,
      js: space.js,
      names: space.names,
      bus: createEventBus(space.js, space.names),
      redis,
      logger: quietLogger,
      meter: metrics.getMeter('verification-test'),
    });
    await verification.start();
    await eventually(async () => expect(await verification.checks.consumer?.()).toBe(true));
  });

  afterAll(async () => {
    await verification?.stop();
    await gateway?.stop();
    const keys = await redis?.keys(`${space?.names.namespace}:*`);
    if (keys && keys.length > 0) await redis.del(...keys);
    await redis?.quit();
    await space?.close();
    await tg?.close();
  });

  it('a member who is not an admin cannot protect the group', async () => {
    await tg.control('POST', `/control/chats/${ids.group}/join`, { user_id: ids.bob });
    const sent = await write(ids.bob, '/protect @news');
    await eventually(async () => {
      const reply = (await messages()).find(
        (m) => m.sent_by_bot_id === ids.bot && m.text === 'Only group admins can use /protect.',
      );
      expect(reply).toBeDefined();
    });
    expect(space.eventsOf('group.channel_linked')).toHaveLength(0);
    expect(sent.deleted).toBe(false);
  });

  it('an admin protects the group with /protect @news', async () => {
    await write(ids.olga, '/protect @news');
    const linked = await space.waitForEvent('group.channel_linked');
    expect(linked.event).toMatchObject({
      groupId: String(ids.group),
      groupTitle: 'Readers',
      botId: String(ids.bot),
      channel: { id: String(ids.channel), title: 'News', username: 'news' },
      actor: { who: { case: 'telegramUserId', value: String(ids.olga) } },
    });
    await eventually(async () =>
      expect((await messages()).map((m) => m.text)).toContain(
        'Protection is on: members must join @news.',
      ),
    );
  });

  it('a non-member who joins is muted and gets one prompt with join and verify buttons', async () => {
    // The mute is held back by a flood wait so the member can slip a message in before it
    // lands, as happens with real Telegram.
    await tg.control('POST', '/control/faults', {
      method: 'restrictChatMember',
      error_code: 429,
      retry_after: 2,
      times: 1,
    });
    await tg.control('POST', `/control/chats/${ids.group}/join`, { user_id: ids.alice });

    const [prompt] = await eventually(async () => {
      const found = await prompts();
      expect(found).toHaveLength(1);
      return found;
    });
    expect(prompt?.text).toContain('@alice');
    expect(prompt?.text).toContain('@news');
    expect(prompt?.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Join News', url: 'https://t.me/news' }],
      [{ text: "I've joined — verify", callback_data: `nz:v:${ids.alice}` }],
    ]);
    const decided = await space.waitForEvent(
      'verify.decided',
      (d) => d.trigger === VerificationTrigger.JOIN,
    );
    expect(decided.event).toMatchObject({
      outcome: VerificationOutcome.RESTRICTED,
      missingChannelIds: [String(ids.channel)],
    });
    expect(decided.envelope.id).toMatch(/^tg:\d+:\d+(:\d+)?:decided$/);
    heldRestrictId = decided.envelope.id.replace(/:decided$/, ':restrict');

    // Both of Telegram's reports of the join arrived; the second added nothing.
    await eventually(() =>
      expect(
        space.eventsOf('chat.member_joined', (e) => e.user?.id === String(ids.alice)),
      ).toHaveLength(2),
    );

    const slipped = await write(ids.alice, 'hello before the mute');
    await eventually(async () => {
      expect((await messages()).find((m) => m.message_id === slipped.message_id)?.deleted).toBe(
        true,
      );
    });
    await eventually(
      async () =>
        expect(await member(ids.group, ids.alice)).toMatchObject({
          status: 'restricted',
          can_send_messages: false,
        }),
      15_000,
    );
    expect(decisions(VerificationOutcome.RESTRICTED, VerificationTrigger.MESSAGE)).toHaveLength(1);
    expect(decisions(VerificationOutcome.RESTRICTED, VerificationTrigger.JOIN)).toHaveLength(1);
    expect(await prompts()).toHaveLength(1);
    await expect(write(ids.alice, 'muted now')).rejects.toThrow(/403/);
  });

  it('someone else pressing the button is told it is not for them', async () => {
    const [prompt] = await prompts();
    const { callback_query_id: queryId } = await press(
      ids.bob,
      prompt?.message_id ?? 0,
      `nz:v:${ids.alice}`,
    );
    expect(await answerOf(queryId)).toMatchObject({ text: 'This button is not for you.' });
    expect((await member(ids.group, ids.alice))?.status).toBe('restricted');
  });

  it('pressing verify before joining says what is still missing', async () => {
    const [prompt] = await prompts();
    const { callback_query_id: queryId } = await press(
      ids.alice,
      prompt?.message_id ?? 0,
      `nz:v:${ids.alice}`,
    );
    expect(await answerOf(queryId)).toMatchObject({
      text: 'You still need to join: @news.',
      show_alert: true,
    });
    expect((await member(ids.group, ids.alice))?.status).toBe('restricted');
    expect(
      decisions(VerificationOutcome.RESTRICTED, VerificationTrigger.VERIFY_BUTTON),
    ).toHaveLength(1);
  });

  it('after joining the channel, verify lifts the mute to the group defaults and removes the prompt', async () => {
    await tg.control('POST', `/control/chats/${ids.channel}/join`, { user_id: ids.alice });
    const [prompt] = await prompts();
    const { callback_query_id: queryId } = await press(
      ids.alice,
      prompt?.message_id ?? 0,
      `nz:v:${ids.alice}`,
    );
    expect(await answerOf(queryId)).toMatchObject({ text: 'Verified — you can write now.' });
    await eventually(async () =>
      expect(await member(ids.group, ids.alice)).toMatchObject({ status: 'member' }),
    );
    await eventually(async () => {
      expect((await messages()).find((m) => m.message_id === prompt?.message_id)?.deleted).toBe(
        true,
      );
    });
    await space.waitForEvent(
      'verify.decided',
      (d) =>
        d.trigger === VerificationTrigger.VERIFY_BUTTON &&
        d.outcome === VerificationOutcome.VERIFIED,
    );

    // Back to an ordinary member: writes freely, nothing deleted, no new prompt.
    const hello = await write(ids.alice, 'thanks!');
    await space.waitForEvent(
      'verify.decided',
      (d) =>
        d.trigger === VerificationTrigger.MESSAGE && d.outcome === VerificationOutcome.VERIFIED,
    );
    expect((await messages()).find((m) => m.message_id === hello.message_id)?.deleted).toBe(false);
    expect((await prompts()).filter((m) => !m.deleted)).toHaveLength(0);
  });

  it('the mute held back by the flood wait does not land after the lift', async () => {
    const held = await space.waitForEvent(
      'bot.action_executed',
      (e) => e.actionId === heldRestrictId,
      15_000,
    );
    expect(held.event).toMatchObject({
      ok: false,
      method: '',
      description: 'superseded by a later restrict/lift of this member',
    });
    expect(await member(ids.group, ids.alice)).toMatchObject({ status: 'member' });
  });

  it('admins write without checks', async () => {
    await write(ids.olga, 'admin here');
    const exempt = await space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(ids.olga),
    );
    expect(exempt.event).toMatchObject({
      outcome: VerificationOutcome.EXEMPT,
      reason: 'group_admin',
    });
  });
});
