// The command service's configuration: kit's shared settings plus the HTTP listener,
// the interim admin credential and the browser origins allowed to send mutations.
import { baseConfigSchema, configFields } from '@nezuko/kit';
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

export const commandConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: configFields.port.default(3001),
  /** Interim credential until accounts and roles exist: `Authorization: Bearer <token>`. */
  ADMIN_API_TOKEN: z.string().min(24, 'must be at least 24 characters'),
  /** Who the events appended with ADMIN_API_TOKEN are attributed to. */
  ADMIN_EMAIL: z.string().min(3).default('admin@nezuko.local'),
  /** Browser origins whose mutations are accepted (CSRF defence); requests without Origin pass. */
  ALLOWED_ORIGINS: originList.default(['http://localhost:3000', 'http://127.0.0.1:3000']),
});

export type CommandConfig = z.infer<typeof commandConfigSchema>;
