// Shapes shared by the account routes.
import { roles } from '@nezuko/sessions';
import { z } from 'zod';

export const email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase())
  .meta({ description: 'Login email (case-insensitive)', examples: ['owner@example.com'] });

export const password = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(1024)
  .meta({ description: 'Write-only; stored as an scrypt hash, never returned or logged' });

export const role = z.enum(roles);

export const adminView = z.strictObject({
  id: z.string(),
  email: z.string(),
  role,
  created_at: z.string(),
  locked_until: z.string().nullable(),
  telegram_user_id: z
    .string()
    .nullable()
    .meta({ description: 'Owners with one may sign in with the Telegram Login Widget' }),
});

export const adminParams = z.object({
  id: z.uuid('must be an admin id (a UUID)'),
});
