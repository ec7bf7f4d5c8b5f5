// A basic group that became a supergroup keeps its protection and its members' state: the
// group feed carries the configuration from the old id to the new one on `group.migrated`,
// and the members Nezuko muted, their prompts and counts move with it in Redis.
import {
  AccessRestoredReason,
  ChannelLinkedSchema,
  create,
  GroupMigratedSchema,
  VerificationOutcome,
} from '@nezuko/proto';
import { quietLogger, startNatsSpace, type NatsSpace } from '@nezuko/bot-gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGroupFeed } from '../src/groupFeed.ts';
import { eventually, olgasChats, startWorld, type World } from './support/world.ts';

describe('group migration', () => {
  let space: NatsSpace;

  beforeAll(async () => {
    space = await startNatsSpace('migr');
  });

  afterAll(async () => {
    await space?.close();
  });

  it('moves the linked channels and settings to the supergroup id', async () => {
    await space.bus.publish(
      'group.channel_linked',
      create(ChannelLinkedSchema, {
        groupId: '-501',
        groupTitle: 'Basic',
        botId: '900',
        channel: { id: '-2001', title: 'News' },
      }),
      { id: 'm1' },
    );
    const feed = startGroupFeed({ js: space.js, names: space.names, logger: quietLogger });
    try {
      await feed.whenCaughtUp();
      const { seq } = await space.bus.publish(
        'group.migrated',
        create(GroupMigratedSchema, {
          groupId: '-501',
          newGroupId: '-1002000000501',
          botId: '900',
        }),
        { id: 'm2' },
      );
      expect(await feed.waitFor(seq, 5000)).toBe(true);
      expect(feed.get('-501')).toBeUndefined();
      expect(feed.currentId('-501')).toBe('-1002000000501');
      expect(feed.currentId('-777')).toBe('-777');
      expect(feed.get('-1002000000501')).toMatchObject({
        groupId: '-1002000000501',
        title: 'Basic',
        botId: '900',
        channels: [{ id: '-2001' }],
      });
    } finally {
      await feed.stop();
    }
  });
});

describe('a group that moves to a supergroup mid-verification', () => {
  let w: World;
  let ids: { olga: number; basic: number; news: number; dora: number; eve: number };
  let supergroup = 0;

  beforeAll(async () => {
    w = await startWorld('migrating');
    const { olga, group: basic, news } = await olgasChats(w, { type: 'group', title: 'Basic' });
    await w.space.bus.publish(
      'group.channel_linked',
      create(ChannelLinkedSchema, {
        groupId: String(basic),
        groupTitle: 'Basic',
        botId: String(w.bot.id),
        channel: { id: String(news), title: 'News', username: 'news' },
      }),
      { id: 'test:link' },
    );
    ids = {
      olga,
      basic,
      news,
      dora: await w.user('Dora', 'dora_d'),
      eve: await w.user('Eve', 'eve_e'),
    };
  });

  afterAll(async () => {
    await w?.close();
  });

  it('members muted under the old id are lifted in the supergroup by verify and by /unprotect', async () => {
    // The mutes are held back by a flood wait; the prompts land in the basic group, which
    // then becomes a supergroup before the mutes are applied.
    await w.tg.control('POST', '/control/faults', {
      method: 'restrictChatMember',
      error_code: 429,
      retry_after: 2,
      times: 2,
    });
    await w.join(ids.basic, ids.dora);
    await w.join(ids.basic, ids.eve);
    const prompt = await w.botSays(ids.basic, (t) => t.startsWith('@dora_d,'));
    await w.botSays(ids.basic, (t) => t.startsWith('@eve_e,'));
    const moved = await w.tg.control<{ id: number }>('POST', `/control/chats/${ids.basic}/migrate`);
    supergroup = moved.id;

    // The held mutes follow the group to its new id.
    for (const member of [ids.dora, ids.eve])
      await eventually(async () =>
        expect((await w.member(supergroup, member))?.status).toBe('restricted'),
      );
    const prefix = `${w.space.names.namespace}:nz`;
    await eventually(async () => {
      expect(await w.redis.hkeys(`${prefix}:muted:${supergroup}`)).toEqual(
        expect.arrayContaining([String(ids.dora), String(ids.eve)]),
      );
    });
    expect(await w.redis.exists(`${prefix}:muted:${ids.basic}`)).toBe(0);
    expect(await w.redis.exists(`${prefix}:prompt:${supergroup}:${ids.dora}`)).toBe(1);

    // Dora joins the channel and presses verify under the prompt in the old chat.
    await w.join(ids.news, ids.dora);
    const query = await w.press(ids.basic, ids.dora, prompt.message_id, `nz:v:${ids.dora}`);
    expect(await w.answerOf(query)).toMatchObject({ text: 'Verified — you can write now.' });
    await eventually(async () =>
      expect(await w.member(supergroup, ids.dora)).toMatchObject({ status: 'member' }),
    );
    const decided = await w.space.waitForEvent(
      'verify.decided',
      (d) => d.user?.id === String(ids.dora) && d.outcome === VerificationOutcome.VERIFIED,
    );
    expect(decided.event.groupId).toBe(String(supergroup));
    const restored = await w.space.waitForEvent(
      'verify.access_restored',
      (e) => e.user?.id === String(ids.dora),
    );
    expect(restored.event).toMatchObject({
      groupId: String(supergroup),
      reason: AccessRestoredReason.VERIFIED,
      liftActionId: `${decided.envelope.causationId}:lift`,
    });

    // Eve never verified: turning protection off in the supergroup frees her.
    await w.write(supergroup, ids.olga, '/unprotect');
    await w.botSays(supergroup, (t) => t.startsWith('Protection is off. 1 muted member'));
    await eventually(async () =>
      expect(await w.member(supergroup, ids.eve)).toMatchObject({ status: 'member' }),
    );
    const freed = await w.space.waitForEvent(
      'verify.access_restored',
      (e) => e.user?.id === String(ids.eve),
    );
    expect(freed.event.reason).toBe(AccessRestoredReason.PROTECTION_OFF);
  });
});
