// A basic group that became a supergroup keeps its protection: the group feed carries the
// configuration from the old id to the new one on `group.migrated`.
import { ChannelLinkedSchema, create, GroupMigratedSchema } from '@nezuko/proto';
import { quietLogger, startNatsSpace, type NatsSpace } from '@nezuko/bot-gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGroupFeed } from '../src/groupFeed.ts';

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
