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
});

export type VerificationConfig = z.infer<typeof verificationConfigSchema>;
