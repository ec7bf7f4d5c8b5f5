// The read API's JSON shapes (served by websocket-push) and the checks that turn an
// untrusted body into them. Hand-written rather than zod because this module ships to
// the browser, where every kilobyte counts; extra fields are ignored, missing or
// mistyped ones are a ContractError naming the field.

export const OUTCOMES = ['verified', 'restricted', 'exempt', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const TRIGGERS = ['join', 'message', 'verify_button', 'recheck'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export interface DashboardStats {
  total_groups: number;
  total_channels: number;
  verifications_today: number;
  verifications_week: number;
  /** Percent, one decimal. */
  success_rate: number;
  /** Percent. */
  cache_hit_rate: number;
  bot_uptime_seconds: number;
}

export interface ActivityItem {
  seq: number;
  occurred_at: string;
  group_id: string;
  group_title: string | null;
  user_id: string;
  username: string | null;
  first_name: string | null;
  outcome: Outcome;
  trigger: Trigger;
  cached: boolean;
  latency_ms: number;
  missing_channel_ids: string[];
}

export interface ChartDay {
  /** YYYY-MM-DD */
  date: string;
  verified: number;
  restricted: number;
  exempt: number;
  error: number;
  total: number;
}

export interface ChartData {
  days: number;
  /** Oldest first, every day present. */
  series: ChartDay[];
}

export type ServerMessage =
  | { type: 'hello'; seq: number }
  | { type: 'verification'; seq: number; item: ActivityItem }
  | { type: 'error'; message: string }
  | { type: 'model_changed'; model: string; seq: number }
  | { type: 'resync'; seq: number; reason: string }
  /** A frame of a topic a page subscribed to (e.g. 'log'), passed to that page as it came. */
  | { type: 'topic'; name: string; body: Record<string, unknown> };

export interface SubscribeMessage {
  type: 'subscribe';
  topics: string[];
  since_seq?: number;
}

/** Frames this client handles itself or ignores; any other type goes to the page that asked for it. */
const CONTROL_TYPES = new Set(['subscribed', 'pong']);

export class ContractError extends Error {
  override name = 'ContractError';
}

type Json = Record<string, unknown>;

function record(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ContractError(`${path}: expected an object`);
  }
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ContractError(`${path}: expected an array`);
  return value;
}

function number(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ContractError(`${path}.${key}: expected a number`);
  }
  return v;
}

function string(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ContractError(`${path}.${key}: expected a string`);
  return v;
}

function nullableString(o: Json, key: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new ContractError(`${path}.${key}: expected a string or null`);
  return v;
}

function oneOf<T extends string>(o: Json, key: string, allowed: readonly T[], path: string): T {
  const v = o[key];
  if (!allowed.includes(v as T)) {
    throw new ContractError(`${path}.${key}: expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function parseStats(body: unknown): DashboardStats {
  const o = record(body, 'stats');
  return {
    total_groups: number(o, 'total_groups', 'stats'),
    total_channels: number(o, 'total_channels', 'stats'),
    verifications_today: number(o, 'verifications_today', 'stats'),
    verifications_week: number(o, 'verifications_week', 'stats'),
    success_rate: number(o, 'success_rate', 'stats'),
    cache_hit_rate: number(o, 'cache_hit_rate', 'stats'),
    bot_uptime_seconds: number(o, 'bot_uptime_seconds', 'stats'),
  };
}

export function parseActivityItem(value: unknown, path = 'item'): ActivityItem {
  const o = record(value, path);
  const missing = o['missing_channel_ids'] ?? [];
  const cached = o['cached'];
  if (typeof cached !== 'boolean') throw new ContractError(`${path}.cached: expected a boolean`);
  return {
    seq: number(o, 'seq', path),
    occurred_at: string(o, 'occurred_at', path),
    group_id: string(o, 'group_id', path),
    group_title: nullableString(o, 'group_title', path),
    user_id: string(o, 'user_id', path),
    username: nullableString(o, 'username', path),
    first_name: nullableString(o, 'first_name', path),
    outcome: oneOf(o, 'outcome', OUTCOMES, path),
    trigger: oneOf(o, 'trigger', TRIGGERS, path),
    cached,
    latency_ms: number(o, 'latency_ms', path),
    missing_channel_ids: array(missing, `${path}.missing_channel_ids`).map((id, i) => {
      if (typeof id !== 'string') {
        throw new ContractError(`${path}.missing_channel_ids[${i}]: expected a string`);
      }
      return id;
    }),
  };
}

export function parseActivity(body: unknown): ActivityItem[] {
  const items = array(record(body, 'activity')['items'], 'activity.items');
  return items.map((item, i) => parseActivityItem(item, `activity.items[${i}]`));
}

export function parseChartData(body: unknown): ChartData {
  const o = record(body, 'chart');
  const series = array(o['series'], 'chart.series').map((value, i): ChartDay => {
    const path = `chart.series[${i}]`;
    const day = record(value, path);
    return {
      date: string(day, 'date', path),
      verified: number(day, 'verified', path),
      restricted: number(day, 'restricted', path),
      exempt: number(day, 'exempt', path),
      error: number(day, 'error', path),
      total: number(day, 'total', path),
    };
  });
  return { days: number(o, 'days', 'chart'), series };
}

/** Parses one WebSocket frame; returns null for message types this client does not use. */
export function parseServerMessage(text: string): ServerMessage | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ContractError('message: not JSON');
  }
  const o = record(body, 'message');
  switch (o['type']) {
    case 'hello':
      return { type: 'hello', seq: number(o, 'seq', 'hello') };
    case 'verification':
      return {
        type: 'verification',
        seq: number(o, 'seq', 'verification'),
        item: parseActivityItem(o['item'], 'verification.item'),
      };
    case 'error':
      return { type: 'error', message: string(o, 'message', 'error') };
    case 'model_changed':
      return {
        type: 'model_changed',
        model: string(o, 'model', 'model_changed'),
        seq: number(o, 'seq', 'model_changed'),
      };
    case 'resync':
      return {
        type: 'resync',
        seq: number(o, 'seq', 'resync'),
        reason: string(o, 'reason', 'resync'),
      };
    default: {
      const type = o['type'];
      if (typeof type !== 'string' || CONTROL_TYPES.has(type)) return null;
      return { type: 'topic', name: type, body: o };
    }
  }
}

/** Subscribes to the activity feed after `sinceSeq`, plus the other topics pages asked for. */
export function subscribeMessage(
  sinceSeq: number,
  extraTopics: readonly string[] = [],
): SubscribeMessage {
  return { type: 'subscribe', topics: ['activity', ...extraTopics], since_seq: sinceSeq };
}
