// The group configuration replayed from NZ_EVENTS at start, then followed live.
import {
  ChannelLinkedSchema,
  ChannelUnlinkedSchema,
  create,
  GroupEnabledChangedSchema,
  MemberJoinedSchema,
} from '@nezuko/proto';
import {
  eventually,
  quietLogger,
  startNatsSpace,
  type NatsSpace,
} from '@nezuko/bot-gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGroupFeed } from '../src/groupFeed.ts';

const linked = (groupId: string, channelId: string) =>
  create(ChannelLinkedSchema, {
    groupId,
    groupTitle: `Group ${groupId}`,
    botId: '900',
    channel: { id: channelId, title: `Channel ${channelId}` },
  });

describe('group feed', () => {
  let space: NatsSpace;

  beforeAll(async () => {
    space = await startNatsSpace('feed');
  });

  afterAll(async () => {
    await space?.close();
  });

  it('replays what was stored before it started, and is caught up only then', async () => {
    await space.bus.publish('group.channel_linked', linked('-1001', '-2001'), { id: 'e1' });
    await space.bus.publish('group.channel_linked', linked('-1001', '-2002'), { id: 'e2' });
    await space.bus.publish(
      'chat.member_joined',
      create(MemberJoinedSchema, { groupId: '-1001', botId: '900' }),
      { id: 'e3' },
    );
    await space.bus.publish(
      'group.channel_unlinked',
      create(ChannelUnlinkedSchema, { groupId: '-1001', channelId: '-2001' }),
      { id: 'e4' },
    );
    await space.bus.publish('group.channel_linked', linked('-1009', '-2009'), { id: 'e5' });

    const feed = startGroupFeed({ js: space.js, names: space.names, logger: quietLogger });
    try {
      await feed.whenCaughtUp();
      expect(feed.caughtUp()).toBe(true);
      expect(feed.get('-1001')?.channels.map((c) => c.id)).toEqual(['-2002']);
      expect(feed.get('-1009')).toMatchObject({
        title: 'Group -1009',
        botId: '900',
        enabled: true,
      });

      // Then it follows new group events, and a writer can wait for its own.
      const stored = await space.bus.publish(
        'group.enabled_changed',
        create(GroupEnabledChangedSchema, { groupId: '-1001', enabled: false }),
        { id: 'e6' },
      );
      expect(await feed.waitFor(stored.seq, 5000)).toBe(true);
      expect(feed.get('-1001')?.enabled).toBe(false);
      expect(await feed.waitFor(stored.seq + 1000, 100)).toBe(false);
    } finally {
      await feed.stop();
    }
  });

  it('is caught up at once on a stream with no group events', async () => {
    const empty = await startNatsSpace('feed0');
    const feed = startGroupFeed({ js: empty.js, names: empty.names, logger: quietLogger });
    try {
      await eventually(() => expect(feed.caughtUp()).toBe(true), 5000);
      expect(feed.get('-1001')).toBeUndefined();
    } finally {
      await feed.stop();
      await empty.close();
    }
  });
});
