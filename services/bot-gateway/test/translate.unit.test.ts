import { JoinSource, type EventOf } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import {
  translateUpdate,
  type Translation,
  type TranslatedEvent,
} from '../src/updates/translate.ts';

const bot = { botId: '900', username: 'NezukoBot' };
const receivedAt = new Date('2026-01-01T00:00:10Z');
const group = { id: -1001, type: 'supergroup', title: 'Readers' };
const channel = { id: -2002, type: 'channel', title: 'News', username: 'news' };
const alice = { id: 11, is_bot: false, first_name: 'Alice', username: 'alice' };
const bob = { id: 12, is_bot: false, first_name: 'Bob' };
const helperBot = { id: 13, is_bot: true, first_name: 'Helper', username: 'helper_bot' };

const translate = (update: unknown) => translateUpdate(bot, update, receivedAt);

function eventsOf(translation: Translation): readonly TranslatedEvent[] {
  expect(translation.kind).toBe('events');
  return translation.kind === 'events' ? translation.events : [];
}

function only<T extends TranslatedEvent['type']>(
  translation: Translation,
  type: T,
): { id: string; event: EventOf<T> } {
  const events = eventsOf(translation);
  expect(events).toHaveLength(1);
  expect(events[0]?.type).toBe(type);
  return events[0] as unknown as { id: string; event: EventOf<T> };
}

const message = (fields: Record<string, unknown>) => ({
  update_id: 500,
  message: { message_id: 77, date: 1_767_225_600, chat: group, from: alice, ...fields },
});

describe('join service messages', () => {
  it('yields one member_joined per person who joined, with a per-member id', () => {
    const events = eventsOf(translate(message({ new_chat_members: [alice, helperBot, bob] })));
    expect(events.map((e) => e.id)).toEqual(['tg:900:500:11', 'tg:900:500:12']);
    const first = events[0];
    expect(first?.type).toBe('chat.member_joined');
    if (first?.type !== 'chat.member_joined') return;
    expect(first.event).toMatchObject({
      botId: '900',
      groupId: '-1001',
      groupTitle: 'Readers',
      user: { id: '11', username: 'alice', firstName: 'Alice', isBot: false },
      source: JoinSource.SERVICE_MESSAGE,
      messageId: '77',
    });
    expect(first.occurredAt).toEqual(new Date(1_767_225_600 * 1000));
  });

  it('ignores a join of bots only', () => {
    expect(translate(message({ new_chat_members: [helperBot] })).kind).toBe('ignored');
  });
});

describe('chat_member updates', () => {
  const change = (chat: object, oldMember: object | undefined, newMember: object) => ({
    update_id: 501,
    chat_member: {
      chat,
      from: alice,
      date: 1_767_225_600,
      ...(oldMember ? { old_chat_member: oldMember } : {}),
      new_chat_member: newMember,
    },
  });

  it.each([
    ['left', { status: 'left', user: alice }],
    ['kicked', { status: 'kicked', user: alice }],
    ['restricted outside the group', { status: 'restricted', user: alice, is_member: false }],
    ['absent', undefined],
  ])('a user who was %s and is now a member joined', (_, oldMember) => {
    const { id, event } = only(
      translate(change(group, oldMember, { status: 'member', user: alice })),
      'chat.member_joined',
    );
    expect(id).toBe('tg:900:501');
    expect(event).toMatchObject({
      groupId: '-1001',
      source: JoinSource.CHAT_MEMBER,
      user: { id: '11' },
      status: 'member',
    });
  });

  it('a user who left and comes back restricted (is_member) joined', () => {
    only(
      translate(
        change(
          group,
          { status: 'left', user: alice },
          { status: 'restricted', user: alice, is_member: true },
        ),
      ),
      'chat.member_joined',
    );
  });

  it.each([
    ['member -> left', { status: 'member', user: alice }, { status: 'left', user: alice }],
    ['left -> kicked', { status: 'left', user: alice }, { status: 'kicked', user: alice }],
  ])('%s is not a join', (_, oldMember, newMember) => {
    expect(translate(change(group, oldMember, newMember)).kind).toBe('ignored');
  });

  it('a bot joining is not a member to verify', () => {
    expect(
      translate(
        change(group, { status: 'left', user: helperBot }, { status: 'member', user: helperBot }),
      ).kind,
    ).toBe('ignored');
  });

  it('a change in a channel becomes channel.member_changed with both statuses', () => {
    const { id, event } = only(
      translate(
        change(channel, { status: 'member', user: alice }, { status: 'left', user: alice }),
      ),
      'channel.member_changed',
    );
    expect(id).toBe('tg:900:501');
    expect(event).toMatchObject({
      botId: '900',
      channelId: '-2002',
      userId: '11',
      oldStatus: 'member',
      newStatus: 'left',
    });
  });

  it('a restricted channel member outside the channel is told apart from one inside', () => {
    const { event } = only(
      translate(
        change(
          channel,
          { status: 'left', user: alice },
          { status: 'restricted', user: alice, is_member: false },
        ),
      ),
      'channel.member_changed',
    );
    expect(event.newStatus).toBe('restricted_left');
  });
});

describe('commands', () => {
  const command = (text: string, length: number, extra: Record<string, unknown> = {}) =>
    message({ text, entities: [{ type: 'bot_command', offset: 0, length }], ...extra });

  it('yields command_received with the command lower-cased and the args split on whitespace', () => {
    const { id, event } = only(
      translate(command('/Protect@NezukoBot   @news  extra', 18)),
      'chat.command_received',
    );
    expect(id).toBe('tg:900:500');
    expect(event).toMatchObject({
      command: 'protect',
      args: ['@news', 'extra'],
      messageId: '77',
      senderChatId: '0',
      user: { id: '11' },
    });
  });

  it('accepts a command without a bot name and one addressed to the bot in any case', () => {
    expect(
      only(translate(command('/protect @news', 8)), 'chat.command_received').event.command,
    ).toBe('protect');
    expect(
      only(translate(command('/status@nezukobot', 17)), 'chat.command_received').event.args,
    ).toEqual([]);
  });

  it('ignores a command addressed to another bot', () => {
    expect(translate(command('/protect@OtherBot @news', 17)).kind).toBe('ignored');
  });

  it('carries the sender chat of an anonymous admin', () => {
    const { event } = only(
      translate(command('/protect @news', 8, { sender_chat: group })),
      'chat.command_received',
    );
    expect(event.senderChatId).toBe('-1001');
  });

  it('a command entity that is not at the start is an ordinary message', () => {
    const update = message({
      text: 'see /protect',
      entities: [{ type: 'bot_command', offset: 4, length: 8 }],
    });
    only(translate(update), 'chat.message_received');
  });
});

describe('ordinary messages', () => {
  it('yields message_received with the author and message id', () => {
    const { id, event } = only(translate(message({ text: 'hello' })), 'chat.message_received');
    expect(id).toBe('tg:900:500');
    expect(event).toMatchObject({
      groupId: '-1001',
      groupTitle: 'Readers',
      user: { id: '11' },
      senderChatId: '0',
      messageId: '77',
    });
  });

  it('records sender_chat for posts by the linked channel or anonymous admins', () => {
    const { event } = only(
      translate(message({ text: 'post', sender_chat: channel })),
      'chat.message_received',
    );
    expect(event.senderChatId).toBe('-2002');
  });

  it('a photo without text is a message too', () => {
    only(
      translate(message({ photo: [{ file_id: 'x', file_unique_id: 'y', width: 1, height: 1 }] })),
      'chat.message_received',
    );
  });

  it.each(['left_chat_member', 'pinned_message', 'new_chat_title'])(
    'ignores the %s service message',
    (field) => {
      expect(
        translate(message({ [field]: field === 'new_chat_title' ? 'New' : { any: 1 } })).kind,
      ).toBe('ignored');
    },
  );

  it('a basic group moving to a supergroup is recorded once, under the id a refused action derives too', () => {
    const basic = { id: -501, type: 'group', title: 'Basic' };
    const moved = only(
      translate({
        update_id: 501,
        message: { message_id: 9, date: 1, chat: basic, from: alice, migrate_to_chat_id: -1009 },
      }),
      'group.migrated',
    );
    expect(moved.id).toBe('tg:900:migrate:-501');
    expect(moved.event).toMatchObject({ groupId: '-501', newGroupId: '-1009', botId: '900' });
    expect(
      translate(message({ migrate_from_chat_id: -501, from: undefined, sender_chat: group })).kind,
    ).toBe('ignored');
  });

  it('ignores private chats', () => {
    const update = {
      update_id: 9,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: 11, type: 'private' },
        from: alice,
        text: '/start',
      },
    };
    expect(translate(update).kind).toBe('ignored');
  });
});

describe('button presses', () => {
  const press = (data: string | undefined, withMessage = true) => ({
    update_id: 502,
    callback_query: {
      id: 'cb-1',
      from: bob,
      chat_instance: 'ci',
      ...(withMessage ? { message: { message_id: 88, date: 1, chat: group } } : {}),
      ...(data !== undefined ? { data } : {}),
    },
  });

  it('the verify button yields verify_pressed with the presser, the target and the prompt', () => {
    const { id, event } = only(translate(press('nz:v:11')), 'chat.verify_pressed');
    expect(id).toBe('tg:900:502');
    expect(event).toMatchObject({
      groupId: '-1001',
      user: { id: '12' },
      targetUserId: '11',
      callbackQueryId: 'cb-1',
      promptMessageId: '88',
    });
    const translation = translate(press('nz:v:11'));
    expect(translation.kind === 'events' && translation.events[0]?.occurredAt).toEqual(receivedAt);
  });

  it.each([['something:else'], ['nz:v:abc'], ['nz:v:'], [undefined]])(
    'other data (%s) is answered empty',
    (data) => {
      expect(translate(press(data))).toEqual({
        kind: 'answer_callback',
        updateId: 502,
        updateKind: 'callback_query',
        callbackQueryId: 'cb-1',
      });
    },
  );

  it('a press on an inline message (no chat) is answered empty', () => {
    expect(translate(press('nz:v:11', false)).kind).toBe('answer_callback');
  });
});

describe('malformed and unsubscribed updates', () => {
  it.each([
    ['not an object', 'garbage', undefined],
    ['null', null, undefined],
    ['no update_id', { message: { message_id: 1 } }, undefined],
    ['a string update_id', { update_id: '5', message: {} }, undefined],
    ['a message without chat', { update_id: 5, message: { message_id: 1, date: 1, text: 'x' } }, 5],
    [
      'a chat id that is a string',
      { update_id: 5, message: { message_id: 1, date: 1, chat: { id: '-1', type: 'group' } } },
      5,
    ],
    [
      'an unknown member status',
      {
        update_id: 5,
        chat_member: {
          chat: group,
          from: alice,
          date: 1,
          new_chat_member: { status: 'owner', user: alice },
        },
      },
      5,
    ],
    ['a callback without id', { update_id: 5, callback_query: { from: alice, data: 'nz:v:1' } }, 5],
    [
      'new_chat_members that is not a list',
      {
        update_id: 5,
        message: { message_id: 1, date: 1, chat: group, from: alice, new_chat_members: alice },
      },
      5,
    ],
    [
      'a group message without from',
      { update_id: 5, message: { message_id: 1, date: 1, chat: group, text: 'x' } },
      5,
    ],
  ])('reports %s as malformed instead of throwing', (_, update, updateId) => {
    const translation = translate(update);
    expect(translation.kind).toBe('malformed');
    expect(translation.updateId).toBe(updateId);
    expect(translation.kind === 'malformed' && translation.reason).not.toBe('');
  });

  it('names the field at fault', () => {
    const translation = translate({ update_id: 5, message: { message_id: 1, date: 1, text: 'x' } });
    expect(translation.kind === 'malformed' && translation.reason).toMatch(/message\.chat/);
  });

  it.each([
    [
      'my_chat_member',
      {
        my_chat_member: {
          chat: group,
          from: alice,
          date: 1,
          new_chat_member: { status: 'administrator', user: alice },
        },
      },
    ],
    ['edited_message', { edited_message: { message_id: 1 } }],
  ])('%s yields no fact yet', (kind, body) => {
    const translation = translate({ update_id: 7, ...body });
    expect(translation.kind).toBe('ignored');
    expect(translation.updateKind).toBe(kind === 'edited_message' ? 'other' : kind);
  });
});

describe('translations for the admin and join-request side', () => {
  const change = (chat: object, oldMember: object, newMember: object) => ({
    update_id: 501,
    chat_member: {
      chat,
      from: alice,
      date: 1_767_225_600,
      old_chat_member: oldMember,
      new_chat_member: newMember,
    },
  });

  it('a promotion becomes chat.member_updated so the admin list is read again', () => {
    const { event } = only(
      translate(
        change(group, { status: 'member', user: alice }, { status: 'administrator', user: alice }),
      ),
      'chat.member_updated',
    );
    expect(event).toMatchObject({
      groupId: '-1001',
      user: { id: '11' },
      oldStatus: 'member',
      newStatus: 'administrator',
    });
  });

  it('Nezuko muting a member is no fact (the bot did it)', () => {
    const muted = change(
      group,
      { status: 'member', user: alice },
      { status: 'restricted', user: alice, is_member: true },
    );
    expect(
      translate({
        ...muted,
        chat_member: {
          ...muted.chat_member,
          from: { id: 900, is_bot: true, first_name: 'Nezuko' },
        },
      }).kind,
    ).toBe('ignored');
  });

  it('a restricted member leaving is no admin’s doing: nothing reported', () => {
    const left = change(
      group,
      { status: 'restricted', user: alice, is_member: true },
      { status: 'restricted', user: alice, is_member: false },
    );
    expect(translate(left).kind).toBe('ignored');
  });

  it('a human admin restricting a member becomes chat.member_updated with the admin as actor', () => {
    const { event } = only(
      translate(
        change(
          group,
          { status: 'member', user: bob },
          { status: 'restricted', user: bob, is_member: true },
        ),
      ),
      'chat.member_updated',
    );
    expect(event).toMatchObject({
      user: { id: '12' },
      oldStatus: 'member',
      newStatus: 'restricted',
      actorUserId: '11',
    });
  });

  it('a join request becomes chat.join_requested with the private chat to write to', () => {
    const { id, event } = only(
      translate({
        update_id: 41,
        chat_join_request: { chat: group, from: alice, user_chat_id: 11, date: 1_767_225_600 },
      }),
      'chat.join_requested',
    );
    expect(id).toBe('tg:900:41');
    expect(event).toMatchObject({
      groupId: '-1001',
      groupTitle: 'Readers',
      user: { id: '11' },
      userChatId: '11',
    });
  });

  it('a settings button becomes chat.button_pressed with its data', () => {
    const { event } = only(
      translate({
        update_id: 42,
        callback_query: {
          id: 'q1',
          from: alice,
          message: { message_id: 5, chat: group },
          data: 'nz:s:attack',
        },
      }),
      'chat.button_pressed',
    );
    expect(event).toMatchObject({ callbackQueryId: 'q1', messageId: '5', data: 'nz:s:attack' });
  });

  it('/start in a private chat is a command whose chat is the private chat', () => {
    const { event } = only(
      translate({
        update_id: 43,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 11, type: 'private' },
          from: alice,
          text: '/start',
          entities: [{ type: 'bot_command', offset: 0, length: 6 }],
        },
      }),
      'chat.command_received',
    );
    expect(event).toMatchObject({ groupId: '11', command: 'start', user: { id: '11' } });
  });
});
