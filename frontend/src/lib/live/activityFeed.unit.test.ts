import { describe, expect, it } from 'vitest';
import { activityItem } from '../testing/fixtures.ts';
import { addVerification, emptyFeed, latestSeq, mergeSnapshot } from './activityFeed.ts';

const seqs = (state: ReturnType<typeof emptyFeed>) => state.entries.map((e) => e.item.seq);

describe('activity feed', () => {
  it('keeps entries newest first whatever order they arrive in', () => {
    let feed = mergeSnapshot(emptyFeed(), [activityItem(5), activityItem(3)]);
    feed = addVerification(feed, activityItem(7));
    feed = addVerification(feed, activityItem(4));
    expect(seqs(feed)).toEqual([7, 5, 4, 3]);
  });

  it('shows a replayed seq once and leaves the state untouched', () => {
    const feed = addVerification(mergeSnapshot(emptyFeed(), [activityItem(5)]), activityItem(6));
    expect(addVerification(feed, activityItem(6))).toBe(feed);
    expect(mergeSnapshot(feed, [activityItem(6), activityItem(5)])).toBe(feed);
  });

  it('marks pushed entries live (they animate in) and snapshot entries not', () => {
    const feed = addVerification(mergeSnapshot(emptyFeed(), [activityItem(1)]), activityItem(2));
    expect(feed.entries.map((e) => e.live)).toEqual([true, false]);
  });

  it('drops the oldest entries beyond the cap', () => {
    let feed = emptyFeed();
    for (let seq = 1; seq <= 5; seq++) feed = addVerification(feed, activityItem(seq), 3);
    expect(seqs(feed)).toEqual([5, 4, 3]);
  });

  it('reports the newest seq shown', () => {
    expect(latestSeq(emptyFeed())).toBeNull();
    expect(latestSeq(mergeSnapshot(emptyFeed(), [activityItem(9), activityItem(2)]))).toBe(9);
  });
});
