// The live activity feed as a pure reducer: entries newest first (by seq), one entry per
// seq however often the server replays it, capped so a busy group cannot grow the page
// without bound.
import type { ActivityItem } from '../api/contract.ts';

export const FEED_CAP = 50;

export interface FeedEntry {
  item: ActivityItem;
  /** Arrived over the WebSocket after the page loaded (animates in), not from a snapshot. */
  live: boolean;
}

export interface FeedState {
  entries: readonly FeedEntry[];
}

export function emptyFeed(): FeedState {
  return { entries: [] };
}

/** Inserts in seq order; false when that seq is already there. */
function insert(entries: FeedEntry[], entry: FeedEntry): boolean {
  const seq = entry.item.seq;
  let at = entries.findIndex((e) => e.item.seq <= seq);
  if (at === -1) at = entries.length;
  if (entries[at]?.item.seq === seq) return false;
  entries.splice(at, 0, entry);
  return true;
}

function apply(
  state: FeedState,
  items: readonly ActivityItem[],
  live: boolean,
  cap: number,
): FeedState {
  const entries = [...state.entries];
  let changed = false;
  for (const item of items) changed = insert(entries, { item, live }) || changed;
  if (!changed) return state;
  if (entries.length > cap) entries.length = cap;
  return { entries };
}

/** Items read over HTTP (first paint, or a reload after a resync). */
export function mergeSnapshot(
  state: FeedState,
  items: readonly ActivityItem[],
  cap = FEED_CAP,
): FeedState {
  return apply(state, items, false, cap);
}

/** One verification pushed over the WebSocket. A seq already shown is ignored. */
export function addVerification(state: FeedState, item: ActivityItem, cap = FEED_CAP): FeedState {
  return apply(state, [item], true, cap);
}

export function latestSeq(state: FeedState): number | null {
  return state.entries[0]?.item.seq ?? null;
}
