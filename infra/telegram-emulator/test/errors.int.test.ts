import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardWorld, startEmulator } from './support/harness.ts';
import type { Harness, World } from './support/harness.ts';

let h: Harness;
let world: World;

beforeEach(async () => {
  h = await startEmulator();
  world = await standardWorld(h);
});
afterEach(async () => {
  await h.close();
});

describe('Bot API error shapes', () => {
  it('answers an unknown token with 401 Unauthorized', async () => {
    const answer = await h.api(`${world.botId}:not-the-secret`, 'getMe');
    expect(answer).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
  });

  it('answers an unknown method with 404 Not Found', async () => {
    const answer = await h.api(world.token, 'sendTelepathy');
    expect(answer).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
    const file = await fetch(`${h.url}/file/bot${world.token}/photos/file_1.jpg`);
    expect(file.status).toBe(404);
  });

  it('treats method names case-insensitively', async () => {
    const answer = await h.api(world.token, 'GETME');
    expect(answer.status).toBe(200);
    expect(answer.body.result).toMatchObject({
      id: world.botId,
      is_bot: true,
      username: 'gate_bot',
    });
  });

  it('answers 400 chat not found with HTTP status equal to the error code', async () => {
    const answer = await h.api(world.token, 'getChat', { chat_id: -100123 });
    expect(answer).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
    });
    const empty = await h.api(world.token, 'sendMessage', { text: 'hi' });
    expect(empty.body.description).toBe('Bad Request: chat_id is empty');
  });

  it('refuses to restrict the owner and administrators with Telegram texts', async () => {
    const owner = await h.api(world.token, 'restrictChatMember', {
      chat_id: world.chatId,
      user_id: world.ownerId,
      permissions: { can_send_messages: false },
    });
    expect(owner).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: "Bad Request: can't remove chat owner" },
    });
    await h.control('PUT', `/control/chats/${world.chatId}/members/${world.aliceId}`, {
      status: 'administrator',
    });
    const admin = await h.api(world.token, 'banChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
    });
    expect(admin.body.description).toBe('Bad Request: user is an administrator of the chat');
  });

  it('needs can_restrict_members to restrict', async () => {
    await h.control('PUT', `/control/chats/${world.chatId}/members/${world.botId}`, {
      status: 'administrator',
      rights: { can_delete_messages: true },
    });
    const answer = await h.api(world.token, 'restrictChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
      permissions: { can_send_messages: false },
    });
    expect(answer.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: not enough rights to restrict/unrestrict chat member',
    });
  });

  it('answers 403 once the bot was kicked', async () => {
    await h.control('PUT', `/control/chats/${world.chatId}/members/${world.botId}`, {
      status: 'kicked',
    });
    const answer = await h.api(world.token, 'sendMessage', {
      chat_id: world.chatId,
      text: 'hello?',
    });
    expect(answer).toEqual({
      status: 403,
      body: {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was kicked from the supergroup chat',
      },
    });
  });

  it('keeps channel member lists from bots that are not admins there', async () => {
    const channel = await h.control<{ id: number }>('POST', '/control/chats', {
      type: 'channel',
      title: 'News',
      username: 'news',
    });
    const member = await h.api(world.token, 'getChatMember', {
      chat_id: '@news',
      user_id: world.aliceId,
    });
    expect(member.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: member list is inaccessible',
    });
    const send = await h.api(world.token, 'sendMessage', { chat_id: channel.body.id, text: 'x' });
    expect(send.body.description).toBe('Forbidden: bot is not a member of the channel chat');
    await h.control('PUT', `/control/chats/${channel.body.id}/members/${world.botId}`, {
      status: 'administrator',
    });
    const asAdmin = await h.api(world.token, 'getChatMember', {
      chat_id: '@news',
      user_id: world.aliceId,
    });
    expect(asAdmin.body.result).toMatchObject({ status: 'left', user: { id: world.aliceId } });
  });

  it('tells where an upgraded group went', async () => {
    const group = await h.control<{ id: number }>('POST', '/control/chats', {
      type: 'group',
      title: 'Old',
      creator_id: world.ownerId,
    });
    await h.control('PUT', `/control/chats/${group.body.id}/members/${world.botId}`, {
      status: 'member',
    });
    const upgraded = await h.control<{ id: number }>(
      'POST',
      `/control/chats/${group.body.id}/migrate`,
    );
    const answer = await h.api(world.token, 'sendMessage', { chat_id: group.body.id, text: 'x' });
    expect(answer).toEqual({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: upgraded.body.id },
      },
    });
  });

  it('reports a malformed JSON body as a Telegram 400', async () => {
    const response = await fetch(`${h.url}/bot${world.token}/getMe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error_code: 400 });
  });
});

describe('request encodings', () => {
  it('accepts url-encoded forms with reply_markup as a JSON string', async () => {
    const response = await fetch(`${h.url}/bot${world.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(world.chatId),
        text: 'Press',
        reply_markup: JSON.stringify({
          inline_keyboard: [[{ text: 'Verify', callback_data: 'verify' }]],
        }),
      }).toString(),
    });
    const body = (await response.json()) as { result: { reply_markup: unknown; text: string } };
    expect(body.result.text).toBe('Press');
    expect(body.result.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Verify', callback_data: 'verify' }]],
    });
  });

  it('accepts multipart form data and query-string parameters', async () => {
    const form = new FormData();
    form.set('chat_id', String(world.chatId));
    form.set('text', 'from multipart');
    const multipart = await fetch(`${h.url}/bot${world.token}/sendMessage`, {
      method: 'POST',
      body: form,
    });
    expect(((await multipart.json()) as { result: { text: string } }).result.text).toBe(
      'from multipart',
    );
    const viaGet = await fetch(`${h.url}/bot${world.token}/getChat?chat_id=${world.chatId}`);
    expect(((await viaGet.json()) as { result: { title: string } }).result.title).toBe(
      'Protected group',
    );
  });

  it('rejects a text button in an inline keyboard like Telegram', async () => {
    const answer = await h.api(world.token, 'sendMessage', {
      chat_id: world.chatId,
      text: 'x',
      reply_markup: { inline_keyboard: [[{ text: 'plain' }]] },
    });
    expect(answer.body.description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
  });
});

describe('chat and member reads', () => {
  it('resolves @username and returns group permissions and linked chat', async () => {
    const channel = await h.control<{ id: number }>('POST', '/control/chats', {
      type: 'channel',
      title: 'News',
      username: 'news_channel',
    });
    await h.control('PATCH', `/control/chats/${world.chatId}`, {
      username: 'protected',
      linked_chat_id: channel.body.id,
    });
    const group = await h.api(world.token, 'getChat', { chat_id: '@protected' });
    expect(group.body.result).toMatchObject({
      id: world.chatId,
      type: 'supergroup',
      title: 'Protected group',
      linked_chat_id: channel.body.id,
      permissions: { can_send_messages: true, can_invite_users: true, can_pin_messages: false },
    });
    const channelInfo = await h.api(world.token, 'getChat', { chat_id: '@news_channel' });
    expect(channelInfo.body.result).toMatchObject({
      type: 'channel',
      username: 'news_channel',
      title: 'News',
    });
  });

  it('shows a restricted member with flattened permissions, then a member again once lifted', async () => {
    await h.api(world.token, 'restrictChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
      permissions: JSON.stringify({ can_send_messages: false }),
      until_date: 0,
    });
    const restricted = await h.api(world.token, 'getChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
    });
    expect(restricted.body.result).toMatchObject({
      status: 'restricted',
      is_member: true,
      until_date: 0,
      can_send_messages: false,
      can_send_photos: false,
      can_invite_users: false,
    });
    const chat = await h.api(world.token, 'getChat', { chat_id: world.chatId });
    const defaults = (chat.body.result as { permissions: Record<string, boolean> }).permissions;
    await h.api(world.token, 'restrictChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
      permissions: defaults,
    });
    const lifted = await h.api(world.token, 'getChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
    });
    expect(lifted.body.result).toEqual({
      user: { id: world.aliceId, is_bot: false, first_name: 'Alice', username: 'alice' },
      status: 'member',
    });
  });

  it('lists administrators without other bots and counts members', async () => {
    const admins = await h.api(world.token, 'getChatAdministrators', { chat_id: world.chatId });
    const statuses = (admins.body.result as Array<{ status: string; user: { id: number } }>).map(
      (m) => [m.user.id, m.status],
    );
    expect(statuses).toEqual([
      [world.ownerId, 'creator'],
      [world.botId, 'administrator'],
    ]);
    const count = await h.api(world.token, 'getChatMemberCount', { chat_id: world.chatId });
    expect(count.body.result).toBe(3);
  });
});
