// The read API's groups and channels (websocket-push /api/v1/groups…, /channels…, the
// per-group verification series) and the command API's group settings, parsed from
// untrusted JSON.
import type { ChartDay } from './contract.ts';
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';
import {
  bool,
  list,
  nullableNum,
  nullableStr,
  num,
  oneOf,
  record,
  str,
  type Json,
} from './shape.ts';

export interface LinkedChannel {
  channel_id: string;
  title: string | null;
  username: string | null;
  invite_link: string | null;
}

export interface GroupItem {
  group_id: string;
  title: string | null;
  enabled: boolean;
  bot_id: string | null;
  linked_channels: LinkedChannel[];
  verifications_today: number;
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

export interface GroupWeek {
  total: number;
  verified: number;
  restricted: number;
  success_rate: number;
  cache_hit_rate: number;
}

export interface GroupDetail extends GroupItem {
  protected: boolean;
  member_count: number | null;
  week: GroupWeek;
}

export interface ChannelItem {
  channel_id: string;
  title: string | null;
  username: string | null;
  invite_link: string | null;
  subscriber_count: number | null;
  linked_groups: number;
  updated_at: string;
}

export interface ChannelGroup {
  group_id: string;
  title: string | null;
  enabled: boolean;
  linked_at: string;
}

export interface ChannelDetail extends Omit<ChannelItem, 'linked_groups'> {
  linked_groups: ChannelGroup[];
}

function parseLinkedChannel(value: unknown, path: string): LinkedChannel {
  const o = record(value, path);
  return {
    channel_id: str(o, 'channel_id', path),
    title: nullableStr(o, 'title', path),
    username: nullableStr(o, 'username', path),
    invite_link: nullableStr(o, 'invite_link', path),
  };
}

function groupFields(o: Json, path: string): GroupItem {
  return {
    group_id: str(o, 'group_id', path),
    title: nullableStr(o, 'title', path),
    enabled: bool(o, 'enabled', path),
    bot_id: nullableStr(o, 'bot_id', path),
    linked_channels: list(o['linked_channels'], `${path}.linked_channels`, parseLinkedChannel),
    verifications_today: num(o, 'verifications_today', path),
    created_at: str(o, 'created_at', path),
    updated_at: str(o, 'updated_at', path),
  };
}

function pageOf<T>(body: unknown, item: (v: unknown, p: string) => T): Page<T> {
  const o = record(body, 'page');
  return {
    items: list(o['items'], 'items', item),
    page: num(o, 'page', 'page'),
    per_page: num(o, 'per_page', 'page'),
    total: num(o, 'total', 'page'),
  };
}

export const parseGroupsPage = (body: unknown): Page<GroupItem> =>
  pageOf(body, (v, p) => groupFields(record(v, p), p));

export function parseGroupDetail(body: unknown): GroupDetail {
  const o = record(body, 'group');
  const w = record(o['week'], 'group.week');
  return {
    ...groupFields(o, 'group'),
    protected: bool(o, 'protected', 'group'),
    member_count: nullableNum(o, 'member_count', 'group'),
    week: {
      total: num(w, 'total', 'week'),
      verified: num(w, 'verified', 'week'),
      restricted: num(w, 'restricted', 'week'),
      success_rate: num(w, 'success_rate', 'week'),
      cache_hit_rate: num(w, 'cache_hit_rate', 'week'),
    },
  };
}

function parseChannelFields(o: Json, path: string): Omit<ChannelItem, 'linked_groups'> {
  return {
    channel_id: str(o, 'channel_id', path),
    title: nullableStr(o, 'title', path),
    username: nullableStr(o, 'username', path),
    invite_link: nullableStr(o, 'invite_link', path),
    subscriber_count: nullableNum(o, 'subscriber_count', path),
    updated_at: str(o, 'updated_at', path),
  };
}

export const parseChannelsPage = (body: unknown): Page<ChannelItem> =>
  pageOf(body, (v, p) => {
    const o = record(v, p);
    return { ...parseChannelFields(o, p), linked_groups: num(o, 'linked_groups', p) };
  });

export function parseChannelDetail(body: unknown): ChannelDetail {
  const o = record(body, 'channel');
  return {
    ...parseChannelFields(o, 'channel'),
    linked_groups: list(o['linked_groups'], 'channel.linked_groups', (v, p) => {
      const g = record(v, p);
      return {
        group_id: str(g, 'group_id', p),
        title: nullableStr(g, 'title', p),
        enabled: bool(g, 'enabled', p),
        linked_at: str(g, 'linked_at', p),
      };
    }),
  };
}

/**
 * /analytics/verifications?period=…d answers only the days that had decisions; the chart
 * wants every day of the window, oldest first, so the missing ones become zeros.
 */
export function parseDailySeries(body: unknown, days: number, now: Date): ChartDay[] {
  const o = record(body, 'series');
  const byDay = new Map<string, ChartDay>();
  for (const row of list(o['series'], 'series', (v, p) => record(v, p))) {
    const date = str(row, 'bucket', 'series').slice(0, 10);
    byDay.set(date, {
      date,
      verified: num(row, 'verified', 'series'),
      restricted: num(row, 'restricted', 'series'),
      exempt: num(row, 'exempt', 'series'),
      error: num(row, 'error', 'series'),
      total: num(row, 'total', 'series'),
    });
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => {
    const date = new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return byDay.get(date) ?? { date, verified: 0, restricted: 0, exempt: 0, error: 0, total: 0 };
  });
}

export const FAILURE_ACTIONS = ['mute_until_verified', 'mute_for_minutes', 'kick', 'ban'] as const;
export type FailureAction = (typeof FAILURE_ACTIONS)[number];
export const JOIN_REQUEST_POLICIES = ['decline', 'leave_pending'] as const;
export const LEAVE_REACTIONS = ['next_message', 'at_once'] as const;

/** PUT /api/v1/groups/{id} `settings`, as GET /api/v1/groups/{id}/settings answers it. */
export interface GroupSettings {
  failure_action: FailureAction;
  mute_minutes: number;
  prompt_template: string;
  prompt_delete_after_seconds: number;
  verify_timeout_seconds: number;
  whitelist_user_ids: string[];
  under_attack: boolean;
  language: string;
  check_bots: boolean;
  join_request_policy: (typeof JOIN_REQUEST_POLICIES)[number];
  leave_reaction: (typeof LEAVE_REACTIONS)[number];
}

export function parseGroupSettings(body: unknown): GroupSettings {
  const o = record(body, 'settings');
  const p = 'settings';
  return {
    failure_action: oneOf(o, 'failure_action', FAILURE_ACTIONS, p),
    mute_minutes: num(o, 'mute_minutes', p),
    prompt_template: str(o, 'prompt_template', p),
    prompt_delete_after_seconds: num(o, 'prompt_delete_after_seconds', p),
    verify_timeout_seconds: num(o, 'verify_timeout_seconds', p),
    whitelist_user_ids: list(o['whitelist_user_ids'], 'settings.whitelist_user_ids', (v, q) =>
      str({ v }, 'v', q),
    ),
    under_attack: bool(o, 'under_attack', p),
    language: str(o, 'language', p),
    check_bots: bool(o, 'check_bots', p),
    join_request_policy: oneOf(o, 'join_request_policy', JOIN_REQUEST_POLICIES, p),
    leave_reaction: oneOf(o, 'leave_reaction', LEAVE_REACTIONS, p),
  };
}

export interface VersionedSettings {
  settings: GroupSettings;
  /** What PUT /api/v1/groups/{id} must send back as If-Match. */
  etag: string;
}

/** The settings and their ETag from the command API (the version PUT compares with). */
export async function getGroupSettings(
  groupId: string,
  options: ReadApiOptions,
): Promise<ApiResult<VersionedSettings>> {
  let etag = '';
  const capturing: ReadApiOptions = {
    ...options,
    fetch: async (...args) => {
      const response = await options.fetch(...args);
      etag = response.headers.get('etag') ?? '';
      return response;
    },
  };
  const result = await getJson(
    `/api/v1/groups/${encodeURIComponent(groupId)}/settings`,
    parseGroupSettings,
    capturing,
  );
  return result.ok ? { ok: true, data: { settings: result.data, etag } } : result;
}
