// Telegram's refusals that mean the bot cannot act in a chat mark the chat with an event,
// and the group's admins are told once what to fix.
import { ChatAccessProblem, create, TelegramActionSchema } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAccessProblem } from '../src/telegram/chatAccess.ts';
import {
  eventually,
  startGateway,
  startNatsSpace,
  startTelegram,
  type NatsSpace,
  type RunningGateway,
  type Telegram,
} from './support/harness.ts';

let tg: Telegram;
let space: NatsSpace;
let gateway: RunningGateway;
let bot: { id: number; token: string };
let owner: { id: number };
let member: { id: number };

beforeAll(async () => {
  tg = await startTelegram();
  space = await startNatsSpace('access');
  bot = await tg.control('POST', '/control/bots', { username: 'access_bot', first_name: 'A' });
  owner = await tg.control('POST', '/control/users', { first_name: 'Olga' });
  member = await tg.control('POST', '/control/users', { first_name: 'Mia' });
  gateway = await startGateway(space, { apiRoot: tg.url, token: bot.token });
});

afterAll(async () => {
  await gateway?.stop();
  await space?.close();
  await tg?.close();
});

async function groupWithBotAs(status: 'member' | 'kicked') {
  const group = await tg.control<{ id: number }>('POST', '/control/chats', {
    type: 'supergroup',
    title: `Bot is ${status}`,
    creator_id: owner.id,
  });
  await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, { status: 'member' });
  await tg.control('POST', `/control/chats/${group.id}/join`, { user_id: member.id });
  if (status === 'kicked')
    await tg.control('PUT', `/control/chats/${group.id}/members/${bot.id}`, { status: 'kicked' });
  return group.id;
}

const restrict = (chatId: number, n: number) =>
  space.bus.publishAction(
    create(TelegramActionSchema, {
      actionId: `access:${chatId}:${n}`,
      botId: String(bot.id),
      chatId: String(chatId),
      kind: { case: 'restrict', value: { userId: String(member.id), untilDate: n } },
    }),
    { id: `access:${chatId}:${n}` },
  );

describe('chat access', () => {
  it('classifies Telegram’s refusals', () => {
    const rejected = (errorCode: number, description: string) =>
      chatAccessProblem({ kind: 'rejected', errorCode, description });
    expect(rejected(403, 'Forbidden: bot was kicked from the supergroup chat')).toBe(
      ChatAccessProblem.BOT_KICKED,
    );
    expect(rejected(400, 'Bad Request: not enough rights to restrict/unrestrict chat member')).toBe(
      ChatAccessProblem.NOT_ADMIN,
    );
    expect(rejected(400, 'Bad Request: chat not found')).toBe(ChatAccessProblem.CHAT_NOT_FOUND);
    expect(rejected(400, 'Bad Request: method is available only for supergroups')).toBe(
      ChatAccessProblem.SUPERGROUP_ONLY,
    );
    expect(rejected(400, 'Bad Request: user not found')).toBeUndefined();
    expect(chatAccessProblem({ kind: 'network', description: 'ECONNRESET' })).toBeUndefined();
  });

  it('a bot that is not admin marks the group and tells its admins once', async () => {
    const groupId = await groupWithBotAs('member');
    await restrict(groupId, 1);
    await restrict(groupId, 2);
    const lost = await space.waitForEvent(
      'bot.chat_access_lost',
      (e) => e.chatId === String(groupId),
    );
    expect(lost.event).toMatchObject({
      problem: ChatAccessProblem.NOT_ADMIN,
      method: 'restrictChatMember',
    });
    await eventually(() =>
      expect(
        space.eventsOf('bot.action_executed', (e) => e.chatId === String(groupId) && !e.ok),
      ).toHaveLength(2),
    );
    const messages = await tg.control<{ text?: string; sent_by_bot_id?: number }[]>(
      'GET',
      `/control/chats/${groupId}/messages`,
    );
    const notices = messages.filter((m) => m.sent_by_bot_id === bot.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toMatch(/administrator/);
    expect(
      space.eventsOf('bot.chat_access_lost', (e) => e.chatId === String(groupId)),
    ).toHaveLength(1);
  });

  it('follows a basic group to its supergroup and mutes the member there', async () => {
    const basic = await tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'group',
      title: 'Basic',
      creator_id: owner.id,
    });
    await tg.control('PUT', `/control/chats/${basic.id}/members/${bot.id}`, {
      status: 'administrator',
    });
    await tg.control('POST', `/control/chats/${basic.id}/join`, { user_id: member.id });
    const supergroup = await tg.control<{ id: number }>(
      'POST',
      `/control/chats/${basic.id}/migrate`,
    );
    await restrict(basic.id, 4);
    const migrated = await space.waitForEvent(
      'group.migrated',
      (e) => e.groupId === String(basic.id),
    );
    expect(migrated.event.newGroupId).toBe(String(supergroup.id));
    await eventually(async () => {
      const chat = await tg.control<{ members: { user: { id: number }; status: string }[] }>(
        'GET',
        `/control/chats/${supergroup.id}`,
      );
      expect(chat.members.find((m) => m.user.id === member.id)?.status).toBe('restricted');
    });
    expect(space.eventsOf('bot.chat_access_lost', (e) => e.chatId === String(basic.id))).toEqual(
      [],
    );
  });

  it('a kicked bot marks the group', async () => {
    const groupId = await groupWithBotAs('kicked');
    await restrict(groupId, 3);
    const lost = await space.waitForEvent(
      'bot.chat_access_lost',
      (e) => e.chatId === String(groupId),
    );
    expect(lost.event.problem).toBe(ChatAccessProblem.BOT_KICKED);
  });
});
