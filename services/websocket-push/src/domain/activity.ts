// The activity item: one verification decision as dashboards see it, identical whether
// it comes from the read model (GET /activity) or live from the stream (WebSocket).
import type { VerificationRecord } from '@nezuko/analytics-projector';
import type { Outcome, Trigger } from '@nezuko/analytics-projector/read-model';

export interface ActivityItem {
  readonly seq: number;
  readonly occurred_at: string;
  readonly group_id: string;
  readonly group_title: string | null;
  readonly user_id: string;
  readonly username: string | null;
  readonly first_name: string | null;
  readonly outcome: Outcome;
  readonly trigger: Trigger;
  readonly cached: boolean;
  readonly latency_ms: number;
  readonly missing_channel_ids: string[];
}

/** A verification_log row joined with its group's title. */
export interface ActivityRow {
  readonly stream_seq: string;
  readonly occurred_at: Date;
  readonly group_id: string;
  readonly group_title: string | null;
  readonly user_id: string;
  readonly username: string | null;
  readonly first_name: string | null;
  readonly outcome: Outcome;
  readonly trigger: Trigger;
  readonly cached: boolean;
  readonly latency_ms: number;
  readonly missing_channel_ids: string[];
}

export function activityFromRow(row: ActivityRow): ActivityItem {
  return {
    seq: Number(row.stream_seq),
    occurred_at: row.occurred_at.toISOString(),
    group_id: row.group_id,
    group_title: row.group_title,
    user_id: row.user_id,
    username: row.username,
    first_name: row.first_name,
    outcome: row.outcome,
    trigger: row.trigger,
    cached: row.cached,
    latency_ms: row.latency_ms,
    missing_channel_ids: row.missing_channel_ids,
  };
}

export function activityFromRecord(
  record: VerificationRecord,
  groupTitle: string | null,
): ActivityItem {
  return {
    seq: record.seq,
    occurred_at: record.occurredAt.toISOString(),
    group_id: record.groupId,
    group_title: groupTitle,
    user_id: record.userId,
    username: record.username,
    first_name: record.firstName,
    outcome: record.outcome,
    trigger: record.trigger,
    cached: record.cached,
    latency_ms: record.latencyMs,
    missing_channel_ids: [...record.missingChannelIds],
  };
}
