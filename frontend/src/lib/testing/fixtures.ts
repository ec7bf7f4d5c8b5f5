// Test data in the read API's shapes. Imported by tests only.
import type { ActivityItem } from '../api/contract.ts';

export function activityItem(seq: number, overrides: Partial<ActivityItem> = {}): ActivityItem {
  return {
    seq,
    occurred_at: '2026-11-22T12:00:00.000Z',
    group_id: '-1001',
    group_title: 'Nezuko Fans',
    user_id: String(1000 + seq),
    username: 'aiko_k',
    first_name: 'Aiko',
    outcome: 'verified',
    trigger: 'join',
    cached: true,
    latency_ms: 12,
    missing_channel_ids: [],
    ...overrides,
  };
}
