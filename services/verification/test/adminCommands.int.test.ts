// The group admin's side, through real parts: /protect with several channels (one of them
// private), what is missing when the bot lacks rights, the cached admin list and its
// invalidation, anonymous admins, /status, /unprotect lifting Nezuko's mutes, /help and
// /start, and replies that delete themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, groupDefaults, startWorld, type World } from './support/world.ts';

describe('admin commands', () => {
  let w: World;
  let ids: {
    olga: number;
    bob: number;
    alice: number;
    group: number;
    news: number;
    club: number;
  };

  beforeAll(async () => {
    w = await startWorld('admins', { REPLY_DELETE_AFTER_SECONDS: 30 });
    const olga = await w.user('Olga', 'olga');
    const bob = await w.user('Bob', 'bob_b');
    const alice = await w.user('Alice', 'alice');
    const group = await w.chat({
      type: 'supergroup',
      title: 'Readers',
      creator_id: olga,
      permissions: groupDefaults,
    });
    // Not yet allowed to delete messages: /protect must say so.
    await w.setMember(group, w.bot.id, {
      status: 'administrator',
      can_restrict_members: true,
      can_delete_messages: false,
      can_invite_users: true,
    });
    const news = await w.chat({
      type: 'channel',
      title: 'News',
      username: 'news',
      creator_id: olga,
    });
    const club = await w.chat({ type: 'channel', title: 'Club', creator_id: olga });
    await w.setMember(news, w.bot.id, { status: 'administrator' });
    ids = { olga, bob, alice, group, news, club };
    await w.join(group, bob);
    await w.join(group, alice);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('a member who is not an admin is refused', async () => {
    await w.write(ids.group, ids.bob, '/status');
    await w.botSays(ids.group, (t) => t === 'Only group admins can use /status.');
  });

  it('/protect says exactly what the bot is missing, in the group and in each channel', async () => {
    await w.write(ids.group, ids.olga, `/protect @news ${ids.club}`);
    await w.botSays(ids.group, (t) =>
      t.startsWith('I need more rights in this group first: the right to delete messages.'),
    );
    await w.setMember(ids.group, w.bot.id, {
      status: 'administrator',
      can_restrict_members: true,
      can_delete_messages: true,
      can_invite_users: true,
    });
    await w.write(ids.group, ids.olga, `/protect @news ${ids.club}`);
    // A private channel the bot is not in is invisible to it, as in Telegram.
    await w.botSays(ids.group, (t) =>
      t.startsWith(`I can't find ${ids.club} (400 Bad Request: chat not found)`),
    );
    await w.setMember(ids.club, w.bot.id, { status: 'member' });
    await w.write(ids.group, ids.olga, `/protect @news ${ids.club}`);
    await w.botSays(ids.group, (t) => t.startsWith("I'm not an admin in Club"));
    expect(w.space.eventsOf('group.channel_linked')).toHaveLength(0);
  });

  it('/protect links several channels; the private one through an invite link the bot creates', async () => {
    await w.setMember(ids.club, w.bot.id, { status: 'administrator' });
    await w.write(ids.group, ids.olga, `/protect @news ${ids.club}`);
    await w.botSays(ids.group, (t) => t === 'Protection is on: members must join @news, Club.');
    const linked = w.space.eventsOf('group.channel_linked');
    expect(linked.map((e) => e.channel?.id)).toEqual([String(ids.news), String(ids.club)]);
    expect(linked[1]?.channel?.inviteLink).toMatch(/^https:\/\/t\.me\/\+/);
  });

  it('members missing both channels get one prompt with a join button for each', async () => {
    await w.write(ids.group, ids.alice, 'hi');
    const prompt = await eventually(async () => {
      const found = (await w.botMessages(ids.group)).find((m) => m.reply_markup !== undefined);
      if (!found) throw new Error('no prompt yet');
      return found;
    });
    const rows = prompt.reply_markup?.inline_keyboard ?? [];
    expect(rows.map((r) => r[0]?.text)).toEqual(['Join News', 'Join Club', "I've joined — verify"]);
    expect(rows[1]?.[0]?.url).toMatch(/^https:\/\/t\.me\/\+/);
  });

  it('a member promoted to admin may use the commands at once (the admin list is read again)', async () => {
    await w.write(ids.group, ids.bob, '/help');
    await w.botSays(ids.group, (t) => t === 'Only group admins can use /help.');
    await w.setMember(ids.group, ids.bob, { status: 'administrator', can_restrict_members: true });
    await w.space.waitForEvent('chat.member_updated', (e) => e.user?.id === String(ids.bob));
    await w.write(ids.group, ids.bob, '/help');
    await w.botSays(ids.group, (t) => t.startsWith('Nezuko keeps your group'));
  });

  it('an anonymous admin (posting as the group) gets /status: state, channels, rights, counts', async () => {
    await w.write(ids.group, ids.olga, '/status', { sender_chat_id: ids.group });
    const status = await w.botSays(ids.group, (t) => t.startsWith('Protection: on'));
    expect(status.text).toBe(
      [
        'Protection: on',
        'Channels: @news, Club',
        'My rights: admin yes, restrict yes, delete yes, invite yes',
        'Today: 0 verified, 1 restricted, 0 exempt, 0 errors',
        'Muted by me now: 1',
      ].join('\n'),
    );
  });

  it('replies to admin commands delete themselves after the configured delay', async () => {
    const reply = await w.botSays(ids.group, (t) => t.startsWith('Protection: on'));
    await w.space.waitForEvent(
      'bot.action_executed',
      (e) => e.kind === 'sendText' && e.resultMessageId === String(reply.message_id),
    );
    await w.advance(29);
    expect(
      (await w.messages(ids.group)).find((m) => m.message_id === reply.message_id)?.deleted,
    ).toBe(false);
    await w.advance(2);
    await eventually(async () =>
      expect(
        (await w.messages(ids.group)).find((m) => m.message_id === reply.message_id)?.deleted,
      ).toBe(true),
    );
  });

  it('/unprotect @news keeps Club required; /unprotect lifts everyone Nezuko muted', async () => {
    await w.write(ids.group, ids.olga, '/unprotect @news');
    await w.botSays(ids.group, (t) =>
      t.startsWith('@news is no longer required. Members must still join Club;'),
    );
    await eventually(async () =>
      expect((await w.member(ids.group, ids.alice))?.status).toBe('restricted'),
    );
    await w.write(ids.group, ids.olga, '/unprotect');
    await w.botSays(
      ids.group,
      (t) => t === 'Protection is off. 1 muted member(s) can write again.',
    );
    await eventually(async () =>
      expect((await w.member(ids.group, ids.alice))?.status).toBe('member'),
    );
    expect(w.space.eventsOf('group.channel_unlinked').map((e) => e.channelId)).toEqual([
      String(ids.news),
      String(ids.club),
    ]);
  });

  it('/start in a private chat says what the bot does and how to set it up', async () => {
    const chat = await w.tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'private',
      user_id: ids.alice,
      bot_id: w.bot.id,
    });
    await w.write(chat.id, ids.alice, '/start');
    await w.botSays(chat.id, (t) => t.includes('/protect @yourchannel'));
  });
});
