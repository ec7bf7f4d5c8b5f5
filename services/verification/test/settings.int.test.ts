// Per-group settings, through real parts: the /settings keyboard (admins only) appends
// group.settings_changed; under attack joiners are muted silently with one summary; the
// failure action kicks; a prompt deletes itself; an unverified member is removed after
// the verify timeout.
import {
  create,
  GroupSettingsChangedSchema,
  GroupSettingsSchema,
  FailureAction,
} from '@nezuko/proto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, olgasChats, protect, startWorld, type World } from './support/world.ts';

describe('group settings', () => {
  let w: World;
  let ids: { olga: number; bob: number; group: number; news: number };
  let settingsVersion = 0;

  const setSettings = async (settings: MessageInitShape<typeof GroupSettingsSchema>) => {
    settingsVersion += 1;
    const stored = await w.space.bus.publish(
      'group.settings_changed',
      create(GroupSettingsChangedSchema, {
        groupId: String(ids.group),
        settings: create(GroupSettingsSchema, settings),
        actor: { who: { case: 'adminEmail', value: 'olga@example.com' } },
      }),
      { id: `test-settings:${settingsVersion}` },
    );
    await w.space.waitForEvent(
      'group.settings_changed',
      (_, env) => env.id === `test-settings:${settingsVersion}`,
    );
    return stored;
  };
  const prompts = async () =>
    (await w.botMessages(ids.group)).filter(
      // A member's own prompt (not the raid summary's shared button).
      (m) => /^nz:v:[1-9]/.test(m.reply_markup?.inline_keyboard.at(-1)?.[0]?.callback_data ?? ''),
    );

  beforeAll(async () => {
    w = await startWorld('settings', { ATTACK_SUMMARY_DELAY_SECONDS: 10 });
    const chats = await olgasChats(w);
    const bob = await w.user('Bob', 'bob_b');
    ids = { ...chats, bob };
    await w.join(chats.group, bob);
    await protect(w, chats);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('/settings shows a keyboard; only an admin’s press changes a setting', async () => {
    await w.write(ids.group, ids.olga, '/settings');
    const keyboard = await w.botSays(ids.group, (t) => t.startsWith('Settings for Readers'));
    const attack = keyboard.reply_markup?.inline_keyboard.find(
      (r) => r[0]?.callback_data === 'nz:s:attack',
    );
    expect(attack?.[0]?.text).toBe('Under attack mode: off');

    const refused = await w.press(ids.group, ids.bob, keyboard.message_id, 'nz:s:attack');
    expect(await w.answerOf(refused)).toMatchObject({
      text: 'Only group admins can change settings.',
    });
    expect(w.space.eventsOf('group.settings_changed')).toHaveLength(0);

    const accepted = await w.press(ids.group, ids.olga, keyboard.message_id, 'nz:s:attack');
    expect(await w.answerOf(accepted)).toMatchObject({ text: 'Saved.' });
    const changed = await w.space.waitForEvent('group.settings_changed');
    expect(changed.event).toMatchObject({
      groupId: String(ids.group),
      settings: { underAttack: true },
      actor: { who: { case: 'telegramUserId', value: String(ids.olga) } },
    });
    await eventually(async () => {
      const redrawn = (await w.messages(ids.group)).find(
        (m) => m.message_id === keyboard.message_id,
      );
      expect(redrawn?.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain(
        'Under attack mode: on',
      );
    });
  });

  it('under attack: joiners are muted without prompts, then one summary message for all', async () => {
    const raiders = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5'].map((n) => w.user(n)));
    for (const raider of raiders) await w.join(ids.group, raider);
    await eventually(async () => {
      for (const raider of raiders)
        expect((await w.member(ids.group, raider))?.status).toBe('restricted');
    }, 15_000);
    expect(await prompts()).toHaveLength(0);
    await w.advance(11);
    const summary = await w.botSays(ids.group, (t) =>
      t.startsWith('Under attack mode: 5 new member(s)'),
    );
    expect(summary.reply_markup?.inline_keyboard.at(-1)?.[0]?.callback_data).toBe('nz:v:0');
    await w.advance(11);
    expect(
      (await w.botMessages(ids.group)).filter((m) => m.text?.startsWith('Under attack mode:')),
    ).toHaveLength(1);

    // The shared button frees a raider who joined the channel, and no one Nezuko did not mute.
    const [first] = raiders;
    await w.join(ids.news, first ?? 0);
    const freed = await w.press(ids.group, first ?? 0, summary.message_id, 'nz:v:0');
    expect(await w.answerOf(freed)).toMatchObject({ text: 'Verified — you can write now.' });
    await eventually(async () =>
      expect((await w.member(ids.group, first ?? 0))?.status).toBe('member'),
    );
    const stranger = await w.press(ids.group, ids.bob, summary.message_id, 'nz:v:0');
    expect(await w.answerOf(stranger)).toMatchObject({ text: 'You are not muted by me.' });
  });

  it('failure action kick: a member missing the channel is removed and may come back', async () => {
    await setSettings({ failureAction: FailureAction.KICK });
    const carl = await w.user('Carl', 'carl_c');
    await w.join(ids.group, carl);
    await eventually(async () => expect((await w.member(ids.group, carl))?.status).toBe('left'));
    expect(await prompts()).toHaveLength(0);
  });

  it('failure action ban: removed for good', async () => {
    await setSettings({ failureAction: FailureAction.BAN });
    const bert = await w.user('Bert', 'bert_b');
    await w.join(ids.group, bert);
    await eventually(async () => expect((await w.member(ids.group, bert))?.status).toBe('kicked'));
  });

  it('failure action mute for N minutes: the restriction carries its end', async () => {
    await setSettings({ failureAction: FailureAction.MUTE_FOR_MINUTES, muteMinutes: 30 });
    const cleo = await w.user('Cleo', 'cleo_c');
    await w.join(ids.group, cleo);
    const muted = await eventually(async () => {
      const member = await w.member(ids.group, cleo);
      expect(member?.status).toBe('restricted');
      return member;
    });
    // The service's clock started at the real time; the mute ends 30 minutes after it.
    expect(muted?.until_date).toBeGreaterThan(Date.now() / 1000 + 29 * 60);
    await w.botSays(ids.group, (t) => t.startsWith('@cleo_c,'));
  });

  it('a prompt deletes itself after the configured time', async () => {
    await setSettings({ promptDeleteAfterSeconds: 60 });
    const dana = await w.user('Dana', 'dana_d');
    await w.join(ids.group, dana);
    const prompt = await w.botSays(ids.group, (t) => t.startsWith('@dana_d,'));
    await w.space.waitForEvent(
      'bot.action_executed',
      (e) => e.kind === 'prompt' && e.userId === String(dana),
    );
    await w.advance(59);
    expect(
      (await w.messages(ids.group)).find((m) => m.message_id === prompt.message_id)?.deleted,
    ).toBe(false);
    await w.advance(2);
    await eventually(async () =>
      expect(
        (await w.messages(ids.group)).find((m) => m.message_id === prompt.message_id)?.deleted,
      ).toBe(true),
    );
  });

  it('after the verify timeout an unverified member is removed and the prompt goes', async () => {
    await setSettings({ verifyTimeoutSeconds: 300 });
    const emil = await w.user('Emil', 'emil_e');
    await w.join(ids.group, emil);
    const prompt = await w.botSays(ids.group, (t) => t.startsWith('@emil_e,'));
    await w.space.waitForEvent(
      'bot.action_executed',
      (e) => e.kind === 'prompt' && e.userId === String(emil),
    );
    await w.advance(299);
    expect((await w.member(ids.group, emil))?.status).toBe('restricted');
    await w.advance(2);
    await eventually(async () => {
      expect((await w.member(ids.group, emil))?.status).toBe('left');
      expect(
        (await w.messages(ids.group)).find((m) => m.message_id === prompt.message_id)?.deleted,
      ).toBe(true);
    });
  });

  it('/template and /whitelist change the settings from Telegram', async () => {
    await w.write(ids.group, ids.olga, '/template Welcome {name}! First join {channels}.');
    await w.botSays(ids.group, (t) => t.startsWith('New prompt text.'));
    const dora = await w.user('Dora', 'dora_d');
    await w.join(ids.group, dora);
    await w.botSays(ids.group, (t) => t === 'Welcome @dora_d! First join @news.');
    const eve = await w.user('Eve', 'eve_e');
    await w.write(ids.group, ids.olga, `/whitelist add ${eve}`);
    await w.botSays(ids.group, (t) => t === `User ${eve} is whitelisted: never checked here.`);
    await w.join(ids.group, eve);
    await w.write(ids.group, eve, 'hi');
    const exempt = await w.space.waitForEvent('verify.decided', (d) => d.user?.id === String(eve));
    expect(exempt.event.reason).toBe('whitelisted');
    await w.write(ids.group, ids.olga, '/template');
    await w.botSays(ids.group, (t) => t === 'The prompt text is back to the default.');
  });
});
