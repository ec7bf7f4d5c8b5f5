// A join surge switches a group to "under attack" behaviour by itself: past the threshold
// joiners are muted without a prompt and one summary covers them, so the group does not
// fill with bot messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, groupDefaults, startWorld, type World } from './support/world.ts';

describe('raid detection', () => {
  let w: World;
  let group: number;

  beforeAll(async () => {
    w = await startWorld('raid', { RAID_JOIN_THRESHOLD: 3, RAID_WINDOW_SECONDS: 60 });
    const olga = await w.user('Olga', 'olga');
    group = await w.chat({
      type: 'supergroup',
      title: 'Readers',
      creator_id: olga,
      permissions: groupDefaults,
    });
    await w.setMember(group, w.bot.id, { status: 'administrator' });
    const news = await w.chat({
      type: 'channel',
      title: 'News',
      username: 'news',
      creator_id: olga,
    });
    await w.setMember(news, w.bot.id, { status: 'administrator' });
    await w.write(group, olga, '/protect @news');
    await w.space.waitForEvent('group.channel_linked');
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
  });
});
