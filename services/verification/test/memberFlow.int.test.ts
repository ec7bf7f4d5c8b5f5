// The member's side beyond the basic story, through real parts: members a human admin
// restricted are left alone, leaving a linked channel mutes again (at once, or caught by
// the reconciliation), the exemptions, and join requests.
import { VerificationOutcome, VerificationTrigger } from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, protectedGroup, startWorld, type World } from './support/world.ts';

describe('the member flow', () => {
  let w: World;
  let ids: { olga: number; group: number; news: number };

  const newMember = async (name: string, inChannel: boolean) => {
    const id = await w.user(name, name.toLowerCase());
    if (inChannel) await w.join(ids.news, id);
    await w.join(ids.group, id);
    return id;
  };
  const decisionFor = (userId: number, outcome: VerificationOutcome) =>
    w.space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(userId) && d.outcome === outcome,
    );
  const setSettings = async (settings: Record<string, unknown>) => {
    const { GroupSettingsChangedSchema, GroupSettingsSchema, create } =
      await import('@nezuko/proto');
    await w.space.bus.publish(
      'group.settings_changed',
      create(GroupSettingsChangedSchema, {
        groupId: String(ids.group),
        settings: create(GroupSettingsSchema, settings),
        actor: { who: { case: 'adminEmail', value: 'olga@example.com' } },
      }),
      { id: `test-settings:${JSON.stringify(settings)}` },
    );
  };

  beforeAll(async () => {
    w = await startWorld('members');
    ids = await protectedGroup(w);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('a member a human admin restricted is neither muted nor lifted by Nezuko', async () => {
    const dora = await newMember('Dora', true);
    await decisionFor(dora, VerificationOutcome.VERIFIED);
    // Dora leaves the channel, and an admin restricts her by hand, leaving her text only.
    await w.leave(ids.news, dora);
    await w.setMember(ids.group, dora, {
      status: 'restricted',
      permissions: { can_send_messages: true },
      actor_id: ids.olga,
    });
    await w.write(ids.group, dora, 'I may still write text');
    const left = await decisionFor(dora, VerificationOutcome.EXEMPT);
    expect(left.event.reason).toBe('restricted_by_admin');
    expect(await w.member(ids.group, dora)).toMatchObject({
      status: 'restricted',
      can_send_messages: true,
      can_send_photos: false,
    });
  });

  it('a member Nezuko muted whom a human admin then restricts is the admin’s: verify does not lift', async () => {
    const lena = await newMember('Lena', false);
    await decisionFor(lena, VerificationOutcome.RESTRICTED);
    const prompt = await w.botSays(ids.group, (t) => t.startsWith('@lena,'));
    await eventually(async () =>
      expect((await w.member(ids.group, lena))?.status).toBe('restricted'),
    );
    await w.setMember(ids.group, lena, {
      status: 'restricted',
      permissions: { can_send_messages: true },
      actor_id: ids.olga,
    });
    await w.space.waitForEvent('chat.member_updated', (e) => e.user?.id === String(lena));
    await w.join(ids.news, lena);
    const query = await w.press(ids.group, lena, prompt.message_id, `nz:v:${lena}`);
    expect(await w.answerOf(query)).toMatchObject({ text: 'You are not muted by me.' });
    expect(await w.member(ids.group, lena)).toMatchObject({
      status: 'restricted',
      can_send_messages: true,
      can_send_photos: false,
    });
  });

  it('leaving the channel mutes again on the next message (the cache learned it)', async () => {
    const erin = await newMember('Erin', true);
    await w.write(ids.group, erin, 'hello');
    await decisionFor(erin, VerificationOutcome.VERIFIED);
    await w.leave(ids.news, erin);
    await w.space.waitForEvent(
      'channel.member_changed',
      (e) => e.userId === String(erin) && e.newStatus === 'left',
    );
    const after = await w.write(ids.group, erin, 'still here');
    await decisionFor(erin, VerificationOutcome.RESTRICTED);
    await eventually(async () => {
      expect(
        (await w.messages(ids.group)).find((m) => m.message_id === after.message_id)?.deleted,
      ).toBe(true);
      expect((await w.member(ids.group, erin))?.status).toBe('restricted');
    });
  });

  it('with "at once", leaving the channel mutes in the group without waiting for a message', async () => {
    await setSettings({ leaveReaction: 2 });
    const finn = await newMember('Finn', true);
    await w.write(ids.group, finn, 'hello');
    await decisionFor(finn, VerificationOutcome.VERIFIED);
    await w.leave(ids.news, finn);
    // The dashboard learns why Finn was muted: a recheck decision, not something he did.
    const recheck = await w.space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(finn) && d.trigger === VerificationTrigger.RECHECK,
    );
    expect(recheck.event).toMatchObject({
      outcome: VerificationOutcome.RESTRICTED,
      groupId: String(ids.group),
      missingChannelIds: [String(ids.news)],
    });
    await eventually(async () =>
      expect((await w.member(ids.group, finn))?.status).toBe('restricted'),
    );
    const prompt = await w.botSays(ids.group, (t) => t.startsWith('@finn,'));
    expect(prompt.reply_markup?.inline_keyboard.at(-1)?.[0]?.callback_data).toBe(`nz:v:${finn}`);
    await setSettings({});
  });

  it('the reconciliation catches a leave the cache still believes is a member', async () => {
    const gina = await newMember('Gina', true);
    await w.write(ids.group, gina, 'hello');
    await decisionFor(gina, VerificationOutcome.VERIFIED);
    // Telegram's leave update never arrives: the cache keeps saying "member".
    await w.tg.control('PUT', `/control/chats/${ids.news}/members/${gina}`, { status: 'left' });
    await w.redis.set(`${w.space.names.namespace}:nz:member:${ids.news}:${gina}`, '1', 'EX', 600);
    await w.advance(10);
    expect((await w.member(ids.group, gina))?.status).toBe('member');
    await w.advance(600);
    await eventually(async () =>
      expect((await w.member(ids.group, gina))?.status).toBe('restricted'),
    );
    const recheck = await w.space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(gina) && d.trigger === VerificationTrigger.RECHECK,
    );
    expect(recheck.event.outcome).toBe(VerificationOutcome.RESTRICTED);
  });

  it('exempt: whitelisted users, Telegram’s 777000 forward, the linked channel posting', async () => {
    const hana = await w.user('Hana', 'hana');
    await w.join(ids.group, hana);
    await setSettings({ whitelistUserIds: [String(hana)] });
    await w.write(ids.group, hana, 'whitelisted');
    expect((await decisionFor(hana, VerificationOutcome.EXEMPT)).event.reason).toBe('whitelisted');
    await w.write(ids.group, ids.olga, 'as the channel', { sender_chat_id: ids.news });
    await w.space.waitForEvent('verify.decided', (d) => d.reason === 'linked_channel');
    await setSettings({});
  });

  it('a join request: approved when every channel is joined', async () => {
    const ivan = await w.user('Ivan', 'ivan');
    await w.join(ids.news, ivan);
    await w.join(ids.group, ivan, { via: 'request' });
    await eventually(async () => expect((await w.member(ids.group, ivan))?.status).toBe('member'));
  });

  it('a join request missing a channel: told in private with the join button, then declined', async () => {
    const jana = await w.user('Jana', 'jana');
    const chat = await w.tg.control<{ id: number }>('POST', '/control/chats', {
      type: 'private',
      user_id: jana,
      bot_id: w.bot.id,
    });
    await w.join(ids.group, jana, { via: 'request' });
    const told = await w.botSays(chat.id, (t) =>
      t.startsWith('To join Readers, please join @news first.'),
    );
    expect(told.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Join News', url: 'https://t.me/news' }],
    ]);
    await w.space.waitForEvent('bot.action_executed', (e) => e.kind === 'declineJoin' && e.ok);
    expect((await w.member(ids.group, jana))?.status ?? 'left').toBe('left');
  });

  it('left pending per setting: approved by the reconciliation once the channel is joined', async () => {
    await setSettings({ joinRequestPolicy: 2 });
    const kai = await w.user('Kai', 'kai_k');
    await w.join(ids.group, kai, { via: 'request' });
    await w.space.waitForEvent('bot.action_executed', (e) => e.actionId.endsWith(':tell'));
    await w.advance(1);
    expect((await w.member(ids.group, kai))?.status ?? 'left').toBe('left');
    await w.join(ids.news, kai);
    await w.advance(1);
    await eventually(async () => expect((await w.member(ids.group, kai))?.status).toBe('member'));
    await setSettings({});
  });
});
