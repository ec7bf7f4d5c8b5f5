// The operator settings document: the shared part every service applies (kit's
// globalSettingsSchema) plus the outgoing webhook only this service uses. Stored versioned
// in Postgres; what services need is published to NZ_CONFIG after every change and at start.
import { globalSettingsSchema, type GlobalSettings } from '@nezuko/kit';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readConfig } from './accounts/config.ts';
import type { CommandDatabase } from './accounts/schema.ts';

export const settingsSchema = globalSettingsSchema.extend({
  webhook: z.strictObject({
    url: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    /** Write-only. */
    secret: z.string().max(256),
  }),
});

export type Settings = z.output<typeof settingsSchema>;

export const defaultSettings: Settings = {
  membership_cache: { positive_ttl_seconds: 600, negative_ttl_seconds: 60 },
  prompt_defaults: { language: 'en', delete_after_seconds: 0 },
  retention: { verification_log_days: 90, logs_days: 3 },
  log_levels: {
    'bot-gateway': 'info',
    verification: 'info',
    'analytics-projector': 'info',
    command: 'info',
    'websocket-push': 'info',
  },
  webhook: { url: '', secret: '' },
};

export const settingsSections = Object.keys(defaultSettings) as (keyof Settings)[];

/** Fills defaults for anything never set. */
export function completeSettings(document: Record<string, unknown>): Settings {
  return settingsSchema.parse(
    Object.fromEntries(
      settingsSections.map((k) => [
        k,
        { ...defaultSettings[k], ...(document[k] as object | undefined) },
      ]),
    ),
  );
}

export async function currentSettings(
  db: Kysely<CommandDatabase>,
): Promise<{ settings: Settings; version: number }> {
  const stored = await readConfig(db);
  return { settings: completeSettings(stored.document), version: stored.version };
}

/** What the other services get: everything but the webhook (and so never its secret). */
export function sharedPart(settings: Settings): GlobalSettings {
  const { membership_cache, prompt_defaults, retention, log_levels } = settings;
  return { membership_cache, prompt_defaults, retention, log_levels };
}
