// The operator settings form without the page: what the fields are (labels, units, the
// server's bounds), a draft built from the served settings, checks the server would also
// make (so most mistakes show before a round trip), and the partial change to PUT: only
// what the admin changed, so a save never overwrites a field someone else just edited.
import {
  SERVICES,
  type LogLevel,
  type OperatorConfig,
  type ServiceName,
} from '#lib/api/settingsApi.ts';

export type NumberFieldKey =
  | 'membership_cache.positive_ttl_seconds'
  | 'membership_cache.negative_ttl_seconds'
  | 'prompt_defaults.delete_after_seconds'
  | 'retention.verification_log_days'
  | 'retention.logs_days';

/** A form field as the server names it in a 400's `field`. */
export type FieldKey =
  | NumberFieldKey
  | 'prompt_defaults.language'
  | `log_levels.${ServiceName}`
  | 'webhook.url'
  | 'webhook.secret';

export interface NumberField {
  key: NumberFieldKey;
  label: string;
  hint: string;
  unit: 'seconds' | 'days';
  min: number;
  max: number;
}

export const numberFields: Record<NumberFieldKey, NumberField> = {
  'membership_cache.positive_ttl_seconds': {
    key: 'membership_cache.positive_ttl_seconds',
    label: 'Member answers cached for',
    hint: 'How long "is a member" is trusted before Telegram is asked again.',
    unit: 'seconds',
    min: 60,
    max: 86_400,
  },
  'membership_cache.negative_ttl_seconds': {
    key: 'membership_cache.negative_ttl_seconds',
    label: 'Non-member answers cached for',
    hint: 'Short, because people who are not members yet are usually about to join.',
    unit: 'seconds',
    min: 10,
    max: 3_600,
  },
  'prompt_defaults.delete_after_seconds': {
    key: 'prompt_defaults.delete_after_seconds',
    label: 'Delete prompts after',
    hint: 'For groups whose admins never changed their settings; 0 keeps the prompt.',
    unit: 'seconds',
    min: 0,
    max: 86_400,
  },
  'retention.verification_log_days': {
    key: 'retention.verification_log_days',
    label: 'Keep the verification log for',
    hint: 'Whole months older than this leave the raw log (the activity feed); charts keep their totals.',
    unit: 'days',
    min: 1,
    max: 3_650,
  },
  'retention.logs_days': {
    key: 'retention.logs_days',
    label: 'Keep service logs for',
    hint: 'How long service logs stay available on the Logs page.',
    unit: 'days',
    min: 1,
    max: 90,
  },
};

export interface ConfigDraft {
  numbers: Record<NumberFieldKey, number | null>;
  language: string;
  logLevels: Record<ServiceName, LogLevel>;
  webhookUrl: string;
  /** A replacement secret; empty keeps the stored one. */
  webhookSecret: string;
}

export type ConfigPatch = {
  membership_cache?: Partial<OperatorConfig['membership_cache']>;
  prompt_defaults?: Partial<OperatorConfig['prompt_defaults']>;
  retention?: Partial<OperatorConfig['retention']>;
  log_levels?: Partial<OperatorConfig['log_levels']>;
  webhook?: { url?: string; secret?: string };
};

function numberAt(config: OperatorConfig, key: NumberFieldKey): number {
  const [section, name] = key.split('.') as [keyof OperatorConfig, string];
  return (config[section] as unknown as Record<string, number>)[name] ?? 0;
}

export function draftFrom(config: OperatorConfig): ConfigDraft {
  const keys = Object.keys(numberFields) as NumberFieldKey[];
  return {
    numbers: Object.fromEntries(keys.map((k) => [k, numberAt(config, k)])) as Record<
      NumberFieldKey,
      number | null
    >,
    language: config.prompt_defaults.language,
    logLevels: { ...config.log_levels },
    webhookUrl: config.webhook.url,
    webhookSecret: '',
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** What is wrong with the draft, by field; empty when it may be sent. */
export function validateDraft(draft: ConfigDraft): Partial<Record<FieldKey, string>> {
  const errors: Partial<Record<FieldKey, string>> = {};
  for (const field of Object.values(numberFields)) {
    const value = draft.numbers[field.key];
    if (value === null || !Number.isFinite(value)) errors[field.key] = 'Enter a number.';
    else if (!Number.isInteger(value)) errors[field.key] = 'Enter whole ' + field.unit + '.';
    else if (value < field.min || value > field.max)
      errors[field.key] = `Between ${field.min} and ${field.max} ${field.unit}.`;
  }
  if (!/^[a-z]{2}$/.test(draft.language))
    errors['prompt_defaults.language'] = 'A two-letter language code, such as "en".';
  const url = draft.webhookUrl.trim();
  if (url !== '' && !isHttpUrl(url))
    errors['webhook.url'] = 'An http(s) address, or empty for no webhook.';
  if (draft.webhookSecret.length > 256) errors['webhook.secret'] = 'At most 256 characters.';
  return errors;
}

function put<S extends keyof ConfigPatch>(
  patch: ConfigPatch,
  section: S,
  name: string,
  value: unknown,
): void {
  patch[section] = { ...patch[section], [name]: value };
}

/** Only what differs from the served settings (and a new secret when one was typed). */
export function patchFrom(config: OperatorConfig, draft: ConfigDraft): ConfigPatch {
  const patch: ConfigPatch = {};
  for (const key of Object.keys(numberFields) as NumberFieldKey[]) {
    const value = draft.numbers[key];
    if (value !== null && value !== numberAt(config, key)) {
      const [section, name] = key.split('.') as [keyof ConfigPatch, string];
      put(patch, section, name, value);
    }
  }
  if (draft.language !== config.prompt_defaults.language)
    put(patch, 'prompt_defaults', 'language', draft.language);
  for (const service of SERVICES)
    if (draft.logLevels[service] !== config.log_levels[service])
      put(patch, 'log_levels', service, draft.logLevels[service]);
  if (draft.webhookUrl.trim() !== config.webhook.url)
    put(patch, 'webhook', 'url', draft.webhookUrl.trim());
  if (draft.webhookSecret !== '') put(patch, 'webhook', 'secret', draft.webhookSecret);
  return patch;
}

export const isEmptyPatch = (patch: ConfigPatch): boolean => Object.keys(patch).length === 0;

const fieldKeys = new Set<string>([
  ...Object.keys(numberFields),
  'prompt_defaults.language',
  ...SERVICES.map((s) => `log_levels.${s}`),
  'webhook.url',
  'webhook.secret',
]);

/** The form field a server's 400 names, or undefined when it names none of them. */
export function formFieldOf(serverField: string | undefined): FieldKey | undefined {
  return serverField !== undefined && fieldKeys.has(serverField)
    ? (serverField as FieldKey)
    : undefined;
}
