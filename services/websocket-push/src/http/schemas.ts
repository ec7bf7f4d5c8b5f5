// The read API's contract: query parameters (validated on every request) and response
// bodies (the types routes return; tests parse real responses with them).
import { outcomes, triggers } from '@nezuko/analytics-projector/read-model';
import { z } from 'zod';

const intParam = (min: number, max: number, fallback: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const activityQuery = z.object({ limit: intParam(1, 100, 20) });
export const chartQuery = z.object({ days: intParam(1, 365, 30) });
const id = z.string().regex(/^-?\d+$/);
const isoTime = z.iso.datetime();

export const statsResponse = z.object({
  total_groups: z.number().int(),
  total_channels: z.number().int(),
  verifications_today: z.number().int(),
  verifications_week: z.number().int(),
  success_rate: z.number(),
  cache_hit_rate: z.number(),
  bot_uptime_seconds: z.number().int(),
});

export const activityItem = z.object({
  seq: z.number().int(),
  occurred_at: isoTime,
  group_id: id,
  group_title: z.string().nullable(),
  user_id: id,
  username: z.string().nullable(),
  first_name: z.string().nullable(),
  outcome: z.enum(outcomes),
  trigger: z.enum(triggers),
  cached: z.boolean(),
  latency_ms: z.number().int(),
  missing_channel_ids: z.array(id),
});
export const activityResponse = z.object({ items: z.array(activityItem) });

export const chartResponse = z.object({
  days: z.number().int(),
  series: z.array(
    z.object({
      date: z.iso.date(),
      verified: z.number().int(),
      restricted: z.number().int(),
      exempt: z.number().int(),
      error: z.number().int(),
      total: z.number().int(),
    }),
  ),
});

export const linkedChannel = z.object({
  channel_id: id,
  title: z.string().nullable(),
  username: z.string().nullable(),
  invite_link: z.string().nullable(),
});

export const groupItem = z.object({
  group_id: id,
  title: z.string().nullable(),
  enabled: z.boolean(),
  bot_id: id.nullable(),
  /** false once the bot left the group (not protected until a bot links it again). */
  bot_present: z.boolean(),
  /** Members at the last sync; null before any. */
  member_count: z.number().int().nullable(),
  linked_channels: z.array(linkedChannel),
  verifications_today: z.number().int(),
  created_at: isoTime,
  updated_at: isoTime,
});
export const groupsResponse = z.object({
  items: z.array(groupItem),
  page: z.number().int(),
  per_page: z.number().int(),
  total: z.number().int(),
});

export const errorResponse = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});

export type StatsResponse = z.infer<typeof statsResponse>;
export type ChartResponse = z.infer<typeof chartResponse>;
export type GroupItem = z.infer<typeof groupItem>;
export type GroupsResponse = z.infer<typeof groupsResponse>;
export type LinkedChannel = z.infer<typeof linkedChannel>;
