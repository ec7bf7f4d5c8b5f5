// The read model's row types: one kysely `Database` interface for every query in the
// projector (writes) and websocket-push (reads). Telegram ids are bigint columns that
// pg returns as strings, which is also how they travel in JSON (they exceed 2^53).
import type { ColumnType, Generated } from 'kysely';

export const outcomes = ['verified', 'restricted', 'exempt', 'error'] as const;
export type Outcome = (typeof outcomes)[number];

export const triggers = ['join', 'message', 'verify_button', 'recheck'] as const;
export type Trigger = (typeof triggers)[number];

export const botStatuses = ['unknown', 'running', 'stopped', 'error'] as const;
export type BotStatus = (typeof botStatuses)[number];

/** A bigint id: written and read as a decimal string. */
type Id = string;
/** A timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A bigint counter: pg returns int8 as a string; callers convert with Number(). */
type Count = ColumnType<string, number | bigint | string, number | bigint | string>;

export interface GroupsTable {
  group_id: Id;
  title: string | null;
  enabled: Generated<boolean>;
  bot_id: Id | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  settings: Generated<unknown>;
  member_count: Generated<number | null>;
  /** false once the bot left (group.bot_left), until a link or a sync shows it back. */
  bot_present: Generated<boolean>;
  bot_left_at: Generated<Date | null>;
  /** When member_count (and the channels' subscriber counts) were last read from Telegram. */
  synced_at: Generated<Date | null>;
}

export interface ChannelsTable {
  channel_id: Id;
  title: string | null;
  username: string | null;
  invite_link: string | null;
  updated_at: Timestamp;
  subscriber_count: Generated<number | null>;
}

export interface GroupChannelsTable {
  group_id: Id;
  channel_id: Id;
  linked_at: Timestamp;
}

export interface BotsTable {
  bot_id: Id;
  username: string | null;
  first_name: string | null;
  status: Generated<BotStatus>;
  last_heartbeat_at: Timestamp | null;
  uptime_seconds: Generated<number>;
  last_error: string | null;
  registered_at: Timestamp | null;
  updated_at: Timestamp;
  first_seen_at: Generated<Date | null>;
  last_error_at: Generated<Date | null>;
  api_calls: Generated<Count>;
  api_errors: Generated<Count>;
  lifecycle: Generated<'enabled' | 'disabled' | 'deleted'>;
}

/** One row per verify.decided: the activity feed. Keyed by the event's stream sequence. */
export interface VerificationLogTable {
  stream_seq: ColumnType<string, number | string, never>;
  event_id: string;
  occurred_at: Timestamp;
  group_id: Id;
  bot_id: Id;
  user_id: Id;
  username: string | null;
  first_name: string | null;
  outcome: Outcome;
  trigger: Trigger;
  cached: boolean;
  latency_ms: number;
  missing_channel_ids: Id[];
  reason: string | null;
}

/**
 * A verification rollup row (verification_hour / _day; per bot, group_id 0:
 * _bot_minute / _bot_hour / _bot_day): one per bucket start (UTC), group, bot, outcome and
 * cached. `latency_hist` counts per fixed bucket
 * (see histogram.ts). Every chart and stat reads these, never the log.
 */
export interface VerificationRollupTable {
  bucket: Timestamp;
  group_id: Id;
  bot_id: Id;
  outcome: Outcome;
  cached: boolean;
  count: Count;
  latency_ms_sum: Count;
  latency_ms_max: number;
  latency_hist: ColumnType<string[], number[] | string[], number[] | string[]>;
}

/** One row per Telegram Bot API call (`bot.api_called`). */
export interface ApiCallLogTable {
  stream_seq: ColumnType<string, number | string, never>;
  occurred_at: Timestamp;
  bot_id: Id;
  group_id: Id | null;
  method: string;
  ok: boolean;
  error_code: number | null;
  latency_ms: number;
}

export interface ApiCallHourTable {
  bucket: Timestamp;
  bot_id: Id;
  /** The chat the call was about; '0' when none. */
  group_id: Generated<Id>;
  method: string;
  ok: boolean;
  count: Count;
  latency_ms_sum: Count;
  latency_hist: ColumnType<string[], number[] | string[], number[] | string[]>;
}

export interface AuditLogTable {
  stream_seq: ColumnType<string, number | string, never>;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: ColumnType<unknown, string, string>;
}

export interface AdminCommandsTable {
  command_id: string;
  kind: string;
  status: string;
  actor: string | null;
  group_id: Id | null;
  bot_id: Id | null;
  error: string | null;
  requested_at: Timestamp;
  updated_at: Timestamp;
}

/** Narrow per-group totals per hour / day (what top-groups ranks by). */
export interface VerificationGroupTotalsTable {
  bucket: Timestamp;
  group_id: Id;
  bot_id: Id;
  count: Count;
  verified: Count;
  restricted: Count;
  cached: Count;
}

/** Counters kept with the writes (e.g. 'users'), where count(*) would be too slow. */
export interface ReadModelCountersTable {
  name: string;
  value: Count;
}

/** Members the gate decided on. */
export interface UsersTable {
  user_id: Id;
  username: string | null;
  first_name: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  decisions: Count;
  last_outcome: Outcome;
}

export const activityGranularities = ['hour', 'day', 'week'] as const;
export type ActivityGranularity = (typeof activityGranularities)[number];

/**
 * The UTC days a member had a decision on (member-caused triggers only), with a bit per
 * hour of the day (bit h: hour h UTC): who was already counted as active.
 */
export interface UserDaysTable {
  user_id: Id;
  day: string;
  hours: number;
}

/** Distinct active members per bucket, counted as user_days learns of them. */
export interface ActiveUsersTable {
  granularity: ActivityGranularity;
  bucket: Timestamp;
  users: Count;
}

export interface EventStatsHourTable {
  bucket: Timestamp;
  event_type: string;
  /** applied, ignored, unknown, dead_lettered */
  result: string;
  count: Count;
}

export interface ProjectionCheckpointsTable {
  projection: string;
  stream_seq: Count;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** NZ_EVENTS' creation time (its incarnation) the sequence counts in; null until known. */
  stream_created: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  groups: GroupsTable;
  channels: ChannelsTable;
  group_channels: GroupChannelsTable;
  bots: BotsTable;
  verification_log: VerificationLogTable;
  verification_hour: VerificationRollupTable;
  api_call_log: ApiCallLogTable;
  api_call_hour: ApiCallHourTable;
  audit_log: AuditLogTable;
  admin_commands: AdminCommandsTable;
  event_stats_hour: EventStatsHourTable;
  users: UsersTable;
  /** Per-bot rollups: group_id is always '0'. */
  verification_bot_minute: VerificationRollupTable;
  verification_bot_hour: VerificationRollupTable;
  verification_bot_day: VerificationRollupTable;
  api_call_bot_hour: ApiCallHourTable;
  verification_group_hour: VerificationGroupTotalsTable;
  verification_group_day: VerificationGroupTotalsTable;
  read_model_counters: ReadModelCountersTable;
  user_growth_hour: { bucket: Timestamp; new_users: Count };
  user_days: UserDaysTable;
  active_users: ActiveUsersTable;
  projection_checkpoints: ProjectionCheckpointsTable;
}

/**
 * The table groups named in "model changed" notices (`nz.notice.model.<name>`), so a
 * dashboard knows which views to refresh.
 */
export const readModels = [
  'groups',
  'channels',
  'bots',
  'verifications',
  'api_calls',
  'audit',
  'commands',
] as const;
export type ReadModelName = (typeof readModels)[number];
