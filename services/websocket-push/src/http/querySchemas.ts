// Query parameters of the analytics, chart, catalogue and operations endpoints. Each
// object is both the validator (400 naming the parameter) and the OpenAPI description.
import { z } from 'zod';

const id = z.string().regex(/^-?\d{1,20}$/, 'must be a numeric Telegram id');
const intParam = (min: number, max: number, fallback: number) =>
  z.coerce
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
const search = z.string().trim().max(200, 'must be at most 200 characters').default('');
const time = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

export const periods = ['24h', '7d', '30d', '90d'] as const;
export type Period = (typeof periods)[number];
export const granularities = ['hour', 'day', 'week'] as const;
export type Granularity = (typeof granularities)[number];

/** Every chart and analytics endpoint narrows to one bot and/or one group. */
export const filters = z.object({
  bot_id: id.optional(),
  group_id: id.optional(),
});

export const periodQuery = filters.extend({
  period: z.enum(periods).default('7d'),
});
export const trendQuery = periodQuery.extend({
  granularity: z.enum(granularities).optional(),
});
export const topGroupsQuery = periodQuery.extend({ limit: intParam(1, 100, 10) });
export const usersQuery = z.object({
  period: z.enum(periods).default('30d'),
  granularity: z.enum(granularities).optional(),
});

export const groupStatuses = ['all', 'enabled', 'disabled', 'protected', 'unprotected'] as const;
export const groupSorts = [
  'created_at',
  '-created_at',
  'title',
  '-title',
  'updated_at',
  '-updated_at',
] as const;
export const groupsQuery = z.object({
  page: intParam(1, 1_000_000, 1),
  per_page: intParam(1, 100, 20),
  search,
  status: z.enum(groupStatuses).default('all'),
  sort: z.enum(groupSorts).default('-created_at'),
});
export const channelsQuery = z.object({
  page: intParam(1, 1_000_000, 1),
  per_page: intParam(1, 100, 20),
  search,
});
export const idParams = z.object({ id });

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export const logsQuery = z.object({
  level: z.enum(logLevels).optional(),
  search,
  since: time.optional(),
  limit: intParam(1, 500, 100),
});
export const auditQuery = z.object({
  action: z.string().max(100).optional(),
  resource_type: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
  since: time.optional(),
  until: time.optional(),
  limit: intParam(1, 1000, 100),
  format: z.enum(['json', 'csv']).default('json'),
});
export const commandStatuses = ['pending', 'running', 'succeeded', 'failed'] as const;
export const commandsQuery = z.object({
  status: z.enum(commandStatuses).optional(),
  limit: intParam(1, 500, 100),
});
export const eventsQuery = z.object({
  subject: z
    .string()
    .regex(/^[A-Za-z0-9_.*>-]+$/, 'must be a NATS subject (wildcards allowed)')
    .optional(),
  type: z
    .string()
    .regex(/^[a-z_]+\.[a-z_]+$/, 'must be an event type like verify.decided')
    .optional(),
  since: time.optional(),
  limit: intParam(1, 200, 50),
});
