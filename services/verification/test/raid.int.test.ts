// A join surge switches a group to "under attack" behaviour by itself: past the threshold
// joiners are muted without a prompt and one summary covers them, so the group does not
// fill with bot messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, protectedGroup, startWorld, type World } from './support/world.ts';

describe('raid detection', () => {
  let w: World;
  let group: number;

  beforeAll(async () => {
    w = await startWorld('raid', { RAID_JOIN_THRESHOLD: 3, RAID_WINDOW_SECONDS: 60 });
    ({ group } = await protectedGroup(w));
  });

  afterAll(async () => {
    await w?.close();
  });

  it('mutes every joiner, prompts only those before the threshold, then one summary', async () => {
    const joiners = await Promise.all(Array.from({ length: 12 }, (_, i) => w.user(`Raider ${i}`)));
    for (const joiner of joiners) await w.join(group, joiner);
    await eventually(async () => {
      for (const joiner of joiners)
        expect((await w.member(group, joiner))?.status).toBe('restricted');
    }, 20_000);
    const prompts = (await w.botMessages(group)).filter((m) =>
      /^nz:v:[1-9]/.test(m.reply_markup?.inline_keyboard.at(-1)?.[0]?.callback_data ?? ''),
    );
    expect(prompts).toHaveLength(3);
    await w.advance(11);
    await w.botSays(group, (t) => t.startsWith('Under attack mode: 9 new member(s)'));
    expect((await w.botMessages(group)).length).toBe(1 + 3 + 1);
    // Telegram's join report already says each joiner is a plain member: their standing in
    // the group is not asked again, one call per joiner fewer in a raid.
    const joinerIds = new Set(joiners.map(String));
    const standingLookups = (
      await w.tg.control<{ params: { chat_id?: unknown; user_id?: unknown } }[]>(
        'GET',
        `/control/requests?token=${w.bot.token}&method=getChatMember`,
      )
    ).filter(
      (call) =>
        String(call.params.chat_id) === String(group) && joinerIds.has(String(call.params.user_id)),
    );
    // Measured: 12 such calls (one per joiner) before the join report's status was used, 0 after.
    expect(standingLookups).toEqual([]);
  });
});
