// The gateway's settings, validated once at boot. Shared by main.ts and the tests.
import { baseConfigSchema, configFields, tokenKeysSchema } from '@nezuko/kit';
import { z } from 'zod';

export const gatewayConfigSchema = baseConfigSchema.extend({
  /** A bot this gateway registers itself at start (others come from `bot.registered`). */
  BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a Bot API token "<id>:<secret>"')
    .optional(),
  /** `<keyId>:<base64 of 32 bytes>[,...]`; the first seals, all open. Unset: ephemeral key. */
  NZ_TOKEN_KEYS: tokenKeysSchema.optional(),
  /** A replica that stops renewing a bot's lease for this long loses the bot to another. */
  BOT_LEASE_SECONDS: z.coerce.number().positive().max(300).default(10),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  HTTP_PORT: configFields.port.default(3003),
  /**
   * Public URL of the gateways' HTTP port (e.g. https://gw.example.org); set = webhook mode:
   * Telegram POSTs updates to `<url>/telegram/webhook/<botId>` instead of being polled.
   */
  WEBHOOK_BASE_URL: z.string().url().optional(),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** Bot API calls per second per bot; Telegram allows about 30. */
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().positive().default(30),
  // Jitter allowance: at most TELEGRAM_RATE_PER_SECOND calls in any 1 s + this (limiter.ts).
  TELEGRAM_RATE_MARGIN_MS: z.coerce.number().int().min(0).max(1000).default(100),
  /** Seconds Telegram holds a getUpdates request open when there is nothing new. */
  POLL_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(50).default(50),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
