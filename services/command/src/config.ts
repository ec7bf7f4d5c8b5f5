// The command service's configuration: kit's shared settings plus the HTTP listener, its
// Postgres (accounts, sessions), the login policy, the optional service token, Telegram
// (getMe), the token keys and the browser origins allowed to send mutations.
import { baseConfigSchema, configFields, tokenKeysSchema } from '@nezuko/kit';
import { z } from 'zod';

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'each entry must be an origin like https://admin.example.com (scheme, host, optional port; no path)');

const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  )
  .pipe(z.array(origin));

/** `VAR=` (empty, as compose's `${VAR:-}` gives) means unset for optional settings. */
function unsetWhenEmpty<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

export const commandConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: configFields.port.default(3001),
  /** Admin accounts and sessions live in this database's nz_command schema. */
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/nezuko'),
  /** Optional service token for automation (`Authorization: Bearer`): acts as an admin. */
  ADMIN_API_TOKEN: unsetWhenEmpty(z.string().min(24, 'must be at least 24 characters').optional()),
  /** Who the events appended with ADMIN_API_TOKEN are attributed to. */
  ADMIN_EMAIL: z.string().min(3).default('automation@nezuko.local'),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(720).default(12),
  /** Wrong passwords in a row that lock an account, and for how long. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().positive().max(1440).default(15),
  /** Login attempts per client address per LOGIN_IP_WINDOW_MINUTES. */
  LOGIN_IP_LIMIT: z.coerce.number().int().min(1).default(20),
  LOGIN_IP_WINDOW_MINUTES: z.coerce.number().positive().max(1440).default(15),
  /** Proxies whose X-Forwarded-For is believed (fastify trustProxy syntax). */
  TRUST_PROXY: z.string().default('loopback'),
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  /** Lets the webhook test call plain-http URLs (development only; production needs https). */
  WEBHOOK_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The login bot's token: enables the Telegram Login Widget for owners. Unset = off. */
  TELEGRAM_LOGIN_BOT_TOKEN: unsetWhenEmpty(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a Bot API token "<id>:<secret>"')
      .optional(),
  ),
  /** `id:base64key[,…]` (32-byte keys, first active): seals bot tokens. Unset = no bot adding. */
  NZ_TOKEN_KEYS: unsetWhenEmpty(tokenKeysSchema.optional()),
  /** Browser origins whose mutations are accepted (CSRF defence); requests without Origin pass. */
  ALLOWED_ORIGINS: originList.default(['http://localhost:3000', 'http://127.0.0.1:3000']),
});

export type CommandConfig = z.infer<typeof commandConfigSchema>;
