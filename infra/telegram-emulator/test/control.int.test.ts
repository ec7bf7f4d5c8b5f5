import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standardWorld, startEmulator } from './support/harness.ts';
import type { Harness, World } from './support/harness.ts';

type Update = { update_id: number } & Record<string, Record<string, unknown>>;

let h: Harness;
let world: World;

beforeEach(async () => {
  h = await startEmulator();
  world = await standardWorld(h);
  await drain();
});
afterEach(async () => {
  await h.close();
});

/** Reads and confirms everything pending for the bot. */
async function drain(allowed?: string[]): Promise<Update[]> {
  const answer = await h.api(
    world.token,
    'getUpdates',
    allowed ? { allowed_updates: allowed } : {},
  );
  const updates = answer.body.result as Update[];
  const last = updates.at(-1);
  if (last) await h.api(world.token, 'getUpdates', { offset: last.update_id + 1 });
  return updates;
}

const newUser = (first_name: string) =>
  h.control<{ id: number }>('POST', '/control/users', { first_name }).then((r) => r.body.id);

describe('control API input', () => {
  it('answers bad input with 400 naming the field', async () => {
    expect(await h.control('POST', '/control/chats', { type: 'supergroup' })).toEqual({
      status: 400,
      body: { ok: false, error: 'title is required', field: 'title' },
    });
    const noName = await h.control('POST', '/control/users', { username: 'x y' });
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({ ok: false, field: 'first_name' });
    const badStatus = await h.control(
      'PUT',
      `/control/chats/${world.chatId}/members/${world.aliceId}`,
      { status: 'boss' },
    );
    expect(badStatus.body).toMatchObject({ field: 'status' });
  });

  it('answers unknown chats and endpoints with 404', async () => {
    expect((await h.control('GET', '/control/chats/-1001')).status).toBe(404);
    expect((await h.control('GET', '/control/nothing-here')).status).toBe(404);
  });

  it('refuses what a Telegram client would not allow', async () => {
    expect(
      (await h.control('POST', `/control/chats/${world.chatId}/join`, { user_id: world.aliceId }))
        .status,
    ).toBe(409);
    await h.api(world.token, 'banChatMember', { chat_id: world.chatId, user_id: world.aliceId });
    expect(
      (await h.control('POST', `/control/chats/${world.chatId}/join`, { user_id: world.aliceId }))
        .status,
    ).toBe(403);
    const press = await h.control('POST', '/control/callback', {
      user_id: world.aliceId,
      chat_id: world.chatId,
      message_id: 1,
      data: 'nope',
    });
    expect(press.status).toBe(400);
  });
});

describe('simulated users', () => {
  it('joins by request, and the bot approves it', async () => {
    const carol = await newUser('Carol');
    await drain(['message', 'chat_member', 'chat_join_request']);
    const join = await h.control('POST', `/control/chats/${world.chatId}/join`, {
      user_id: carol,
      via: 'request',
    });
    expect(join.body).toMatchObject({ join_request: true });
    const [request] = await drain();
    expect(request?.chat_join_request).toMatchObject({
      from: { id: carol },
      user_chat_id: carol,
      chat: { id: world.chatId },
    });

    expect(
      (
        await h.api(world.token, 'approveChatJoinRequest', {
          chat_id: world.chatId,
          user_id: carol,
        })
      ).body.result,
    ).toBe(true);
    const updates = await drain();
    expect(updates.map((u) => Object.keys(u)[1])).toEqual(['chat_member', 'message']);
    expect(updates[0]?.chat_member).toMatchObject({
      via_join_request: true,
      new_chat_member: { status: 'member' },
    });
    expect(updates[1]?.message).toMatchObject({ new_chat_members: [{ id: carol }] });
    const again = await h.api(world.token, 'approveChatJoinRequest', {
      chat_id: world.chatId,
      user_id: carol,
    });
    expect(again.body.description).toBe('Bad Request: USER_ALREADY_PARTICIPANT');
    const nobody = await h.api(world.token, 'declineChatJoinRequest', {
      chat_id: world.chatId,
      user_id: world.ownerId,
    });
    expect(nobody.body.description).toBe('Bad Request: USER_ALREADY_PARTICIPANT');
  });

  it('joins through an invite link the bot created', async () => {
    const link = await h.api(world.token, 'createChatInviteLink', {
      chat_id: world.chatId,
      name: 'promo',
    });
    const inviteLink = (link.body.result as { invite_link: string }).invite_link;
    expect(link.body.result).toMatchObject({
      creator: { id: world.botId },
      name: 'promo',
      is_primary: false,
      is_revoked: false,
    });
    const dave = await newUser('Dave');
    await drain(['message', 'chat_member']);
    await h.control('POST', `/control/chats/${world.chatId}/join`, {
      user_id: dave,
      via: 'invite_link',
      invite_link: inviteLink,
    });
    const [memberUpdate] = await drain();
    expect(memberUpdate?.chat_member).toMatchObject({
      invite_link: { invite_link: inviteLink },
      from: { id: dave },
    });
  });

  it('leaves with a service message, keeping a restriction for later', async () => {
    await h.api(world.token, 'restrictChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
      permissions: {},
    });
    await h.control('POST', `/control/chats/${world.chatId}/leave`, { user_id: world.aliceId });
    const member = await h.api(world.token, 'getChatMember', {
      chat_id: world.chatId,
      user_id: world.aliceId,
    });
    expect(member.body.result).toMatchObject({ status: 'restricted', is_member: false });
    const [update] = await drain();
    expect(update?.message).toMatchObject({
      left_chat_member: { id: world.aliceId },
      from: { id: world.aliceId },
    });
  });

  it('posts as the group anonymously and forwards linked channel posts from Telegram', async () => {
    const channel = await h.control<{ id: number }>('POST', '/control/chats', {
      type: 'channel',
      title: 'News',
      creator_id: world.ownerId,
      linked_chat_id: world.chatId,
    });
    await h.control('POST', `/control/chats/${world.chatId}/messages`, {
      user_id: world.ownerId,
      sender_chat_id: world.chatId,
      text: 'from the admins',
    });
    await h.control('POST', `/control/chats/${channel.body.id}/messages`, {
      user_id: world.ownerId,
      text: 'new post',
    });
    const updates = await drain();
    expect(updates[0]?.message).toMatchObject({
      from: { id: 1087968824, username: 'GroupAnonymousBot' },
      sender_chat: { id: world.chatId },
      text: 'from the admins',
    });
    expect(updates[1]?.message).toMatchObject({
      from: { id: 777000 },
      sender_chat: { id: channel.body.id, type: 'channel' },
      is_automatic_forward: true,
      text: 'new post',
    });
  });

  it('talks privately once the user opened the bot', async () => {
    const erin = await newUser('Erin');
    const refused = await h.api(world.token, 'sendMessage', { chat_id: erin, text: 'hi' });
    expect(refused.body.description).toBe("Forbidden: bot can't initiate conversation with a user");
    const chat = await h.control<{ control_id: string; id: number }>('POST', '/control/chats', {
      type: 'private',
      user_id: erin,
      bot_id: world.botId,
    });
    expect(chat.body).toMatchObject({
      id: erin,
      type: 'private',
      control_id: `private:${world.botId}:${erin}`,
    });
    await h.control('POST', `/control/chats/${chat.body.control_id}/messages`, {
      user_id: erin,
      text: '/start',
    });
    const [start] = await drain();
    expect(start?.message).toMatchObject({
      chat: { id: erin, type: 'private' },
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(
      (await h.api(world.token, 'sendMessage', { chat_id: erin, text: 'welcome' })).status,
    ).toBe(200);
    const messages = await h.control<Array<{ text: string }>>(
      'GET',
      `/control/chats/${chat.body.control_id}/messages`,
    );
    expect(messages.body.map((m) => m.text)).toEqual(['/start', 'welcome']);
  });

  it('reset empties the world', async () => {
    await h.control('POST', '/control/reset');
    expect((await h.api(world.token, 'getMe')).status).toBe(401);
    expect((await h.control<unknown[]>('GET', '/control/chats')).body).toEqual([]);
    const log = await h.control<Array<{ method: string; status: number }>>(
      'GET',
      '/control/requests',
    );
    expect(log.body.map((entry) => [entry.method, entry.status])).toEqual([['getMe', 401]]);
  });
});
