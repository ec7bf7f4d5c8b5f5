import { describe, expect, it } from 'vitest';
import { routeFact } from './routing.ts';
import { adminState, buildWorld, NOW } from './testing.ts';
import { changeMember } from './membership.ts';
import { pressButton, userJoins, userSendsMessage } from './userActions.ts';
import { sendMessage } from './messaging.ts';
import type { Fact } from './facts.ts';
import type { EmulatorState } from './store.ts';

function route(state: EmulatorState, facts: Fact[]) {
  return facts
    .flatMap((fact) => routeFact(state, fact, NOW))
    .map((u) => ({ botId: u.botId, type: u.type }));
}

describe('update routing', () => {
  it('sends chat_member about a user to admin bots only', () => {
    const world = buildWorld();
    world.setMember(world.otherBot.user.id, { status: 'member' });
    const facts = changeMember(
      world.chat,
      world.alice.id,
      { status: 'left' },
      { actorId: world.alice.id, now: NOW },
    );
    expect(route(world.state, facts)).toEqual([{ botId: world.bot.user.id, type: 'chat_member' }]);
  });

  it('sends my_chat_member to the bot whose own status changed, even when it is removed', () => {
    const world = buildWorld();
    const facts = changeMember(
      world.chat,
      world.bot.user.id,
      { status: 'kicked', untilDate: 0 },
      {
        actorId: world.owner.id,
        now: NOW,
      },
    );
    expect(route(world.state, facts)).toEqual([
      { botId: world.bot.user.id, type: 'my_chat_member' },
    ]);
  });

  it('renders old and new ChatMember objects in the update', () => {
    const world = buildWorld();
    const facts = changeMember(
      world.chat,
      world.alice.id,
      { status: 'kicked', untilDate: 0 },
      {
        actorId: world.bot.user.id,
        now: NOW,
      },
    );
    const [update] = facts.flatMap((fact) => routeFact(world.state, fact, NOW));
    expect(update?.payload).toMatchObject({
      chat: { id: world.chat.id, type: 'supergroup' },
      from: { id: world.bot.user.id, is_bot: true },
      date: NOW,
      old_chat_member: { status: 'member', user: { id: world.alice.id } },
      new_chat_member: { status: 'kicked', until_date: 0 },
    });
  });

  it('produces nothing for bots that are not in the chat', () => {
    const world = buildWorld();
    world.setMember(world.bot.user.id, { status: 'left' });
    const { facts } = userSendsMessage(
      world.state,
      world.chat,
      { userId: world.alice.id, text: 'hi' },
      NOW,
    );
    expect(route(world.state, facts)).toEqual([]);
  });

  it('never shows a bot the messages of another bot', () => {
    const world = buildWorld();
    world.setMember(world.otherBot.user.id, adminState());
    const sent = sendMessage(
      world.state,
      world.otherBot.user.id,
      { chat: world.chat.id, text: 'hello' },
      NOW,
    );
    expect(route(world.state, sent.facts)).toEqual([]);
  });

  it('in privacy mode shows a non-admin bot only commands, replies to it and service messages', () => {
    const world = buildWorld();
    world.setMember(world.bot.user.id, { status: 'member' });
    const say = (text: string, replyTo?: number) =>
      route(
        world.state,
        userSendsMessage(
          world.state,
          world.chat,
          { userId: world.alice.id, text, replyToMessageId: replyTo },
          NOW,
        ).facts,
      );
    expect(say('just chatting')).toEqual([]);
    expect(say('/status')).toEqual([{ botId: world.bot.user.id, type: 'message' }]);
    expect(say('/status@other_bot')).toEqual([]);
    const own = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'press' },
      NOW,
    );
    expect(say('answer', own.message.messageId)).toEqual([
      { botId: world.bot.user.id, type: 'message' },
    ]);
    const joined = userJoins(
      world.state,
      world.chat,
      {
        userId: world.state.addUser({ is_bot: false, first_name: 'N' }).id,
        via: 'service_message',
      },
      NOW,
    );
    expect(route(world.state, joined)).toEqual([{ botId: world.bot.user.id, type: 'message' }]);
  });

  it('shows an admin bot every message', () => {
    const world = buildWorld();
    const { facts } = userSendsMessage(
      world.state,
      world.chat,
      { userId: world.alice.id, text: 'hi' },
      NOW,
    );
    expect(route(world.state, facts)).toEqual([{ botId: world.bot.user.id, type: 'message' }]);
  });

  it('sends channel posts to the channel admin bots and forwards them into the linked group', () => {
    const world = buildWorld();
    const channel = world.state.addChat({ type: 'channel', title: 'News', username: 'news' });
    channel.members.set(world.owner.id, { status: 'creator', isAnonymous: false });
    channel.members.set(world.otherBot.user.id, adminState());
    channel.linkedChatId = world.chat.id;
    world.chat.linkedChatId = channel.id;
    const { facts } = userSendsMessage(
      world.state,
      channel,
      { userId: world.owner.id, text: 'post' },
      NOW,
    );
    expect(route(world.state, facts)).toEqual([
      { botId: world.otherBot.user.id, type: 'channel_post' },
      { botId: world.bot.user.id, type: 'message' },
    ]);
    const forwarded = world.chat.messages.at(-1);
    expect(forwarded).toMatchObject({ fromUserId: 777000, senderChatId: channel.id });
  });

  it('sends join requests to admin bots that may invite users', () => {
    const world = buildWorld();
    world.setMember(world.otherBot.user.id, adminState({ can_invite_users: false }));
    const facts = userJoins(
      world.state,
      world.chat,
      { userId: world.state.addUser({ is_bot: false, first_name: 'N' }).id, via: 'request' },
      NOW,
    );
    expect(route(world.state, facts)).toEqual([
      { botId: world.bot.user.id, type: 'chat_join_request' },
    ]);
  });

  it('sends a callback query to the bot that sent the message', () => {
    const world = buildWorld();
    world.setMember(world.otherBot.user.id, adminState());
    const keyboard = { inline_keyboard: [[{ text: 'Verify', callback_data: 'verify' }]] };
    const sent = sendMessage(
      world.state,
      world.bot.user.id,
      { chat: world.chat.id, text: 'x', replyMarkup: keyboard },
      NOW,
    );
    const press = pressButton(
      world.state,
      {
        userId: world.alice.id,
        chat: world.chat,
        messageId: sent.message.messageId,
        data: 'verify',
      },
      NOW,
    );
    const [update] = press.facts.flatMap((fact) => routeFact(world.state, fact, NOW));
    expect(update).toMatchObject({ botId: world.bot.user.id, type: 'callback_query' });
    expect(update?.payload).toMatchObject({
      id: press.queryId,
      data: 'verify',
      from: { id: world.alice.id },
    });
    expect(typeof update?.payload.chat_instance).toBe('string');
  });
});
