// telegraf, unchanged, against the emulator: a bot that gates a group the way Nezuko
// does (mute on join, verify button, commands, spam deletion) over long polling.

import { Markup, Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, standardWorld, startEmulator } from './support/harness.ts';
import type { Harness, World } from './support/harness.ts';

interface MemberView {
  user: { id: number };
  status: string;
  can_send_messages?: boolean;
}
interface MessageView {
  message_id: number;
  text?: string;
  from?: { id: number };
  deleted: boolean;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };
  reply_to_message?: { message_id: number };
}

const EVERYTHING_MEMBERS_MAY_DO = {
  can_send_messages: true,
  can_send_audios: true,
  can_send_documents: true,
  can_send_photos: true,
  can_send_videos: true,
  can_send_video_notes: true,
  can_send_voice_notes: true,
  can_send_polls: true,
  can_send_other_messages: true,
  can_add_web_page_previews: true,
  can_invite_users: true,
};

let h: Harness;
let world: World;
let bot: Telegraf;
let launched: Promise<void> | undefined;
const handlerErrors: unknown[] = [];

function gateBot(token: string, apiRoot: string): Telegraf {
  const gate = new Telegraf(token, { telegram: { apiRoot } });
  gate.on('chat_member', async (ctx) => {
    const joined = ctx.chatMember.new_chat_member;
    if (joined.status !== 'member' || ctx.chatMember.old_chat_member.status !== 'left') return;
    await ctx.restrictChatMember(joined.user.id, { permissions: { can_send_messages: false } });
    await ctx.reply(
      `Welcome ${joined.user.first_name}! Join the channel, then verify.`,
      Markup.inlineKeyboard([Markup.button.callback('Verify', `verify:${joined.user.id}`)]),
    );
  });
  gate.command('status', (ctx) =>
    ctx.reply('This group is protected.', {
      reply_parameters: { message_id: ctx.message.message_id },
    }),
  );
  gate.on(message('text'), async (ctx) => {
    if (ctx.message.text.includes('spam')) await ctx.deleteMessage();
  });
  gate.action(/^verify:(\d+)$/, async (ctx) => {
    const userId = Number(ctx.match[1]);
    if (userId !== ctx.from.id) {
      await ctx.answerCbQuery('This button is not for you.', { show_alert: true });
      return;
    }
    await ctx.restrictChatMember(userId, { permissions: EVERYTHING_MEMBERS_MAY_DO });
    await ctx.answerCbQuery('Verified!');
  });
  gate.catch((error) => {
    handlerErrors.push(error);
  });
  return gate;
}

beforeEach(async () => {
  handlerErrors.length = 0;
  h = await startEmulator();
  world = await standardWorld(h);
  bot = gateBot(world.token, h.url);
  launched = bot.launch({ allowedUpdates: ['message', 'chat_member', 'callback_query'] });
  await eventually(async () => {
    const inbox = await h.control<{ allowed_updates: string[] }>(
      'GET',
      `/control/bots/${world.botId}/updates`,
    );
    expect(inbox.body.allowed_updates).toContain('chat_member');
  });
});

afterEach(async () => {
  bot.stop('test finished');
  await launched;
  await h.close();
});

const chatState = () =>
  h.control<{ members: MemberView[] }>('GET', `/control/chats/${world.chatId}`);
const messages = () => h.control<MessageView[]>('GET', `/control/chats/${world.chatId}/messages`);

describe('a telegraf bot against the emulator', () => {
  it('mutes a joining user, shows a verify button, and unmutes on press', async () => {
    const bob = await h.control<{ id: number }>('POST', '/control/users', {
      first_name: 'Bob',
      username: 'bobby',
    });
    await h.control('POST', `/control/chats/${world.chatId}/join`, { user_id: bob.body.id });

    const prompt = await eventually(async () => {
      const members = (await chatState()).body.members;
      expect(members.find((m) => m.user.id === bob.body.id)).toMatchObject({
        status: 'restricted',
        can_send_messages: false,
      });
      const found = (await messages()).body.find(
        (m) => m.from?.id === world.botId && m.reply_markup,
      );
      expect(found?.text).toBe('Welcome Bob! Join the channel, then verify.');
      return found as MessageView;
    });
    expect(prompt.reply_markup?.inline_keyboard[0]?.[0]).toEqual({
      text: 'Verify',
      callback_data: `verify:${bob.body.id}`,
    });

    const muted = await h.control('POST', `/control/chats/${world.chatId}/messages`, {
      user_id: bob.body.id,
      text: 'let me talk',
    });
    expect(muted.status).toBe(403);

    const press = await h.control<{ callback_query_id: string }>('POST', '/control/callback', {
      user_id: bob.body.id,
      chat_id: world.chatId,
      message_id: prompt.message_id,
      data: `verify:${bob.body.id}`,
    });
    await eventually(async () => {
      const answer = await h.control<{
        answered: boolean;
        answer?: { text?: string; show_alert: boolean };
      }>('GET', `/control/callbacks/${press.body.callback_query_id}`);
      expect(answer.body).toMatchObject({
        answered: true,
        answer: { text: 'Verified!', show_alert: false },
      });
    });
    const members = (await chatState()).body.members;
    expect(members.find((m) => m.user.id === bob.body.id)?.status).toBe('member');
    expect(handlerErrors).toEqual([]);
  });

  it("shows an alert to someone pressing another user's button", async () => {
    const bob = await h.control<{ id: number }>('POST', '/control/users', { first_name: 'Bob' });
    await h.control('POST', `/control/chats/${world.chatId}/join`, { user_id: bob.body.id });
    const prompt = await eventually(async () => {
      const found = (await messages()).body.find((m) => m.reply_markup);
      expect(found).toBeDefined();
      return found as MessageView;
    });
    const press = await h.control<{ callback_query_id: string }>('POST', '/control/callback', {
      user_id: world.aliceId,
      chat_id: world.chatId,
      message_id: prompt.message_id,
      data: `verify:${bob.body.id}`,
    });
    await eventually(async () => {
      const answer = await h.control('GET', `/control/callbacks/${press.body.callback_query_id}`);
      expect(answer.body).toMatchObject({
        answer: { text: 'This button is not for you.', show_alert: true },
      });
    });
    expect((await chatState()).body.members.find((m) => m.user.id === bob.body.id)?.status).toBe(
      'restricted',
    );
  });

  it('answers a command and deletes spam', async () => {
    const command = await h.control<{ message_id: number }>(
      'POST',
      `/control/chats/${world.chatId}/messages`,
      {
        user_id: world.aliceId,
        text: '/status',
      },
    );
    await eventually(async () => {
      const reply = (await messages()).body.find(
        (m) => m.from?.id === world.botId && m.text === 'This group is protected.',
      );
      expect(reply?.reply_to_message?.message_id).toBe(command.body.message_id);
    });

    const spam = await h.control<{ message_id: number }>(
      'POST',
      `/control/chats/${world.chatId}/messages`,
      {
        user_id: world.aliceId,
        text: 'buy spam now',
      },
    );
    await eventually(async () => {
      const found = (await messages()).body.find((m) => m.message_id === spam.body.message_id);
      expect(found?.deleted).toBe(true);
    });

    const log = await h.control<Array<{ method: string; status: number }>>(
      'GET',
      `/control/requests?token=${encodeURIComponent(world.token)}`,
    );
    const calls = log.body
      .filter((entry) => entry.method !== 'getUpdates')
      .map((entry) => `${entry.method} ${entry.status}`);
    expect(calls).toEqual([
      'getMe 200',
      'deleteWebhook 200',
      'sendMessage 200',
      'deleteMessage 200',
    ]);
    expect(handlerErrors).toEqual([]);
  });
});
