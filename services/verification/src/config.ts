// The verification service's settings, validated once at boot. Shared by main.ts and tests.
import { baseConfigSchema, configFields } from '@nezuko/kit';
import { z } from 'zod';

export const verificationConfigSchema = baseConfigSchema.extend({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  HTTP_PORT: configFields.port.default(3004),
  CACHE_POSITIVE_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  CACHE_NEGATIVE_TTL_SECONDS: z.coerce.number().int().positive().default(60),
  CACHE_JITTER: z.coerce.number().min(0).max(0.5).default(0.15),
  /** How long one prompt stands for a member before a new trigger may prompt again. */
  PROMPT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60),
  /** Replies to admin commands are deleted after this long (0 = kept). */
  REPLY_DELETE_AFTER_SECONDS: z.coerce.number().int().min(0).default(60),
  /** How often due jobs (deletions, verify timeouts, raid summaries) are looked for. */
  SCHEDULER_TICK_MS: z.coerce.number().int().positive().default(1000),
  /** How often the reconciliation re-checks members (0 = never). */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  /** At most this many re-checks per reconciliation tick, over all groups. */
  RECONCILE_BATCH: z.coerce.number().int().positive().default(50),
  /** A member who passed a check is checked again after this long. */
  RECHECK_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 60 * 60),
  /** Members not seen for this long are no longer re-checked. */
  ACTIVE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 60 * 60),
  /** Under attack, the one summary message is posted this long after the first silent mute. */
  ATTACK_SUMMARY_DELAY_SECONDS: z.coerce.number().int().min(0).default(30),
  /** More joins than this within RAID_WINDOW_SECONDS is a raid: treated as under attack (0 = off). */
  RAID_JOIN_THRESHOLD: z.coerce.number().int().min(0).default(20),
  RAID_WINDOW_SECONDS: z.coerce.number().int().positive().default(10),
});

export type VerificationConfig = z.infer<typeof verificationConfigSchema>;
