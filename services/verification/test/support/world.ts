// A whole Nezuko world for integration tests: the Telegram emulator, the bot gateway and
// the verification service in-process on one NATS namespace and Redis. The service's
// wall clock is a value the test moves (`advance`), and timers run when the test says
// (`runTimers`), so scheduled deletions, escalations and re-checks are tested without
// waiting.
import { createEventBus } from '@nezuko/kit';
import { testEnv } from '@nezuko/kit/testing';
import { consumers } from '@nezuko/proto';
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
import {
  createVerificationApp,
  type VerificationApp,
  type VerificationDeps,
} from '../../src/app.ts';

export interface ChatMessage {
  message_id: number;
  text?: string;
  deleted: boolean;
  sent_by_bot_id?: number;
  from?: { id: number };
  reply_markup?: { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] };
}

export interface Member {
  user: { id: number };
  status: string;
  is_member?: boolean;
  can_send_messages?: boolean;
  can_send_photos?: boolean;
  can_pin_messages?: boolean;
  until_date?: number;
}

/** The group's defaults: what a verified member gets back, and no more. */
export const groupDefaults = {
  can_send_messages: true,
  can_send_photos: true,
  can_invite_users: true,
  can_pin_messages: false,
  can_change_info: false,
};

export const testConfig: VerificationDeps['config'] = {
  CACHE_POSITIVE_TTL_SECONDS: 600,
  CACHE_NEGATIVE_TTL_SECONDS: 60,
  CACHE_JITTER: 0.15,
  PROMPT_TTL_SECONDS: 3600,
  REPLY_DELETE_AFTER_SECONDS: 30,
  // Timers run when the test calls runTimers.
  SCHEDULER_TICK_MS: 3_600_000,
  RECONCILE_INTERVAL_SECONDS: 0,
  RECONCILE_BATCH: 50,
  RECHECK_AFTER_SECONDS: 600,
  ACTIVE_WINDOW_SECONDS: 86_400,
  ATTACK_SUMMARY_DELAY_SECONDS: 10,
  RAID_JOIN_THRESHOLD: 0,
  RAID_WINDOW_SECONDS: 10,
};

export interface World {
  readonly tg: Telegram;
  readonly space: NatsSpace;
  readonly verification: VerificationApp;
  readonly redis: Redis;
  readonly bot: { id: number; token: string };
  /** Moves the service's clock forward and runs what is then due. */
  advance(seconds: number): Promise<void>;
  user(firstName: string, username?: string): Promise<number>;
  chat(body: Record<string, unknown>): Promise<number>;
  setMember(chatId: number, userId: number, body: Record<string, unknown>): Promise<void>;
  join(chatId: number, userId: number, body?: Record<string, unknown>): Promise<void>;
  leave(chatId: number, userId: number): Promise<void>;
  write(
    chatId: number | string,
    userId: number,
    text: string,
    extra?: Record<string, unknown>,
  ): Promise<ChatMessage>;
  messages(chatId: number | string): Promise<ChatMessage[]>;
  botMessages(chatId: number | string): Promise<ChatMessage[]>;
  member(chatId: number, userId: number): Promise<Member | undefined>;
  press(chatId: number, userId: number, messageId: number, data: string): Promise<string>;
  answerOf(queryId: string): Promise<{ text?: string; show_alert?: boolean }>;
  /** Waits until a bot message in the chat satisfies `match`. */
  botSays(chatId: number | string, match: (text: string) => boolean): Promise<ChatMessage>;
  close(): Promise<void>;
}

export async function startWorld(
  label: string,
  config: Partial<VerificationDeps['config']> = {},
): Promise<World> {
  const tg = await startTelegram();
  const bot = await tg.control<{ id: number; token: string }>('POST', '/control/bots', {
    username: 'gate_bot',
    first_name: 'Gate',
  });
  const space = await startNatsSpace(label);
  const gateway: RunningGateway = await startGateway(space, { apiRoot: tg.url, token: bot.token });
  const redis = new Redis(testEnv().redisUrl);
  let now = Date.now();
  const verification = createVerificationApp({
    config: { ...testConfig, ...config },
    nc: space.nc,
    js: space.js,
    names: space.names,
    bus: createEventBus(space.js, space.names),
    redis,
    logger: quietLogger,
    meter: metrics.getMeter('verification-test'),
    clock: () => now,
  });
  await verification.start();
  await eventually(async () => {
    if (!(await verification.checks.consumer?.())) throw new Error('consumer not attached');
  });

  const messages = (chatId: number | string) =>
    tg.control<ChatMessage[]>('GET', `/control/chats/${chatId}/messages`);
  const botMessages = async (chatId: number | string) =>
    (await messages(chatId)).filter((m) => m.sent_by_bot_id === bot.id);

  /** Waits until the verification consumer has taken and acknowledged every stored event. */
  const settled = () =>
    eventually(async () => {
      const info = await space.jsm.consumers.info(
        space.names.stream('NZ_EVENTS'),
        space.names.durable(consumers.verification.durable),
      );
      if (info.num_pending + info.num_ack_pending > 0) throw new Error('verification is behind');
    }, 20_000);

  return {
    tg,
    space,
    verification,
    redis,
    bot,
    async advance(seconds) {
      // Whatever is already in the stream is handled at the old time first: a prompt's
      // outcome consumed after the clock moved would schedule its deletion from the new one.
      await settled();
      now += seconds * 1000;
      await verification.runTimers(now);
    },
    async user(firstName, username) {
      const created = await tg.control<{ id: number }>('POST', '/control/users', {
        first_name: firstName,
        ...(username ? { username } : {}),
      });
      return created.id;
    },
    async chat(body) {
      return (await tg.control<{ id: number }>('POST', '/control/chats', body)).id;
    },
    async setMember(chatId, userId, body) {
      await tg.control('PUT', `/control/chats/${chatId}/members/${userId}`, body);
    },
    async join(chatId, userId, body = {}) {
      await tg.control('POST', `/control/chats/${chatId}/join`, { user_id: userId, ...body });
    },
    async leave(chatId, userId) {
      await tg.control('POST', `/control/chats/${chatId}/leave`, { user_id: userId });
    },
    write: (chatId, userId, text, extra = {}) =>
      tg.control<ChatMessage>('POST', `/control/chats/${chatId}/messages`, {
        user_id: userId,
        text,
        ...extra,
      }),
    messages,
    botMessages,
    async member(chatId, userId) {
      const chat = await tg.control<{ members: Member[] }>('GET', `/control/chats/${chatId}`);
      return chat.members.find((m) => m.user.id === userId);
    },
    async press(chatId, userId, messageId, data) {
      const { callback_query_id: id } = await tg.control<{ callback_query_id: string }>(
        'POST',
        '/control/callback',
        { user_id: userId, chat_id: chatId, message_id: messageId, data },
      );
      return id;
    },
    answerOf: (queryId) =>
      eventually(async () => {
        const query = await tg.control<{
          answered: boolean;
          answer?: { text?: string; show_alert?: boolean };
        }>('GET', `/control/callbacks/${queryId}`);
        if (!query.answered) throw new Error('not answered yet');
        return query.answer ?? {};
      }),
    botSays: (chatId, match) =>
      eventually(async () => {
        const found = (await botMessages(chatId)).find((m) => match(m.text ?? ''));
        if (!found) {
          const said = (await botMessages(chatId)).map((m) => m.text);
          throw new Error(`the bot has not said that; it said: ${JSON.stringify(said)}`);
        }
        return found;
      }),
    async close() {
      await verification.stop();
      await gateway.stop();
      const keys = await redis.keys(`${space.names.namespace}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await space.close();
      await tg.close();
    },
  };
}

/** Olga's group and her channel @news, with the bot an administrator in both. */
export interface OlgasChats {
  olga: number;
  group: number;
  news: number;
}

/** Creates Olga, her group "Readers" (or `title`) of `type` and her channel @news; not yet protected. */
export async function olgasChats(
  w: World,
  {
    type = 'supergroup',
    title = 'Readers',
  }: { type?: 'supergroup' | 'group'; title?: string } = {},
): Promise<OlgasChats> {
  const olga = await w.user('Olga', 'olga');
  const group = await w.chat({ type, title, creator_id: olga, permissions: groupDefaults });
  await w.setMember(group, w.bot.id, { status: 'administrator' });
  const news = await w.chat({ type: 'channel', title: 'News', username: 'news', creator_id: olga });
  await w.setMember(news, w.bot.id, { status: 'administrator' });
  return { olga, group, news };
}

/** Olga links @news to her group with /protect, as an admin does in Telegram. */
export async function protect(w: World, { olga, group }: OlgasChats): Promise<void> {
  await w.write(group, olga, '/protect @news');
  await w.space.waitForEvent('group.channel_linked');
}

/** Olga's group protected by her channel @news: the setup most stories start from. */
export async function protectedGroup(w: World): Promise<OlgasChats> {
  const chats = await olgasChats(w);
  await protect(w, chats);
  return chats;
}

export { eventually };
