// The pure halves of the group-life and active-user projections: which subscriber delta a
// channel membership change is and what a sync keeps.
import { ChannelMemberChangedSchema, create, GroupSyncedSchema } from '@nezuko/proto';
import { describe, expect, it } from 'vitest';
import { subscriberDelta, toGroupSync } from '../src/projection/groupLifecycle.ts';

const meta = { seq: 1, eventId: 'e-1', occurredAt: new Date('2026-04-08T10:20:00Z') };
const change = (oldStatus: string, newStatus: string) =>
  create(ChannelMemberChangedSchema, { channelId: '-2001', userId: '5', oldStatus, newStatus });

describe('subscriber deltas', () => {
  it('counts crossing in or out, not moves on the same side', () => {
    expect(subscriberDelta(change('left', 'member'))).toBe(1);
    expect(subscriberDelta(change('kicked', 'restricted'))).toBe(1);
    expect(subscriberDelta(change('member', 'left'))).toBe(-1);
    expect(subscriberDelta(change('administrator', 'kicked'))).toBe(-1);
    expect(subscriberDelta(change('member', 'administrator'))).toBe(0);
    expect(subscriberDelta(change('left', 'kicked'))).toBe(0);
  });
});

describe('a sync', () => {
  it('keeps the channels Telegram answered for; an empty title is no title', () => {
    const sync = toGroupSync(
      create(GroupSyncedSchema, {
        groupId: '-1001',
        botId: '7001',
        title: '',
        memberCount: 9,
        channels: [
          { channelId: '-2001', title: 'News', subscriberCount: 120 },
          { channelId: '-2002', error: 'Bad Request: chat not found' },
        ],
      }),
      meta,
    );
    expect(sync).toMatchObject({ title: null, memberCount: 9, botId: '7001' });
    expect(sync.channels).toEqual([{ channelId: '-2001', title: 'News', subscribers: 120 }]);
  });
});
