// The operator settings every service applies live: the command service owns and audits
// them (Postgres) and publishes the secret-free part to the NZ_CONFIG KV bucket; each
// service watches that key, so a change applies without a restart and a service started
// later reads the latest value first.
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { kvBuckets } from '@nezuko/proto';
import { z } from 'zod';
import type { Logger } from './logger.ts';
import type { Naming } from './nats/naming.ts';
import { bucketName } from './nats/topology.ts';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const logLevel = z.enum(logLevels);

/** The services whose log level the settings name. */
export const configurableServices = [
  'bot-gateway',
  'verification',
  'analytics-projector',
  'command',
  'websocket-push',
] as const;
export type ConfigurableService = (typeof configurableServices)[number];

export const globalSettingsSchema = z.strictObject({
  membership_cache: z.strictObject({
    positive_ttl_seconds: z.number().int().min(60).max(86_400),
    negative_ttl_seconds: z.number().int().min(10).max(3_600),
  }),
  prompt_defaults: z.strictObject({
    language: z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language code'),
    delete_after_seconds: z.number().int().min(0).max(86_400),
  }),
  retention: z.strictObject({
    verification_log_days: z.number().int().min(1).max(3_650),
    logs_days: z.number().int().min(1).max(90),
  }),
  log_levels: z.strictObject({
    'bot-gateway': logLevel,
    verification: logLevel,
    'analytics-projector': logLevel,
    command: logLevel,
    'websocket-push': logLevel,
  }),
});

export type GlobalSettings = z.output<typeof globalSettingsSchema>;

export const settingsKey = 'settings';

function configBucket(names: Naming): string {
  const spec = kvBuckets.find((b) => b.name === 'NZ_CONFIG');
  if (!spec) throw new Error('NZ_CONFIG is missing from the topology');
  return bucketName(spec, names);
}

export async function openConfigBucket(js: JetStreamClient, names: Naming): Promise<KV> {
  return new Kvm(js).open(configBucket(names));
}

export async function publishGlobalSettings(
  js: JetStreamClient,
  names: Naming,
  settings: GlobalSettings,
): Promise<void> {
  const kv = await openConfigBucket(js, names);
  await kv.put(settingsKey, JSON.stringify(globalSettingsSchema.parse(settings)));
}

export interface GlobalSettingsWatch {
  /** The last value seen, undefined until one arrived. */
  current(): GlobalSettings | undefined;
  /** Calls back with the current value (if any) and every later one. */
  onChange(listener: (settings: GlobalSettings) => void): void;
  stop(): Promise<void>;
}

/**
 * Watches the settings key: the latest stored value first, then every change. A value that
 * does not parse is logged and skipped (the service keeps what it had).
 */
export async function watchGlobalSettings(
  js: JetStreamClient,
  names: Naming,
  logger: Logger,
): Promise<GlobalSettingsWatch> {
  const kv = await openConfigBucket(js, names);
  const iterator = await kv.watch({ key: settingsKey });
  const listeners: ((settings: GlobalSettings) => void)[] = [];
  let latest: GlobalSettings | undefined;
  const done = (async () => {
    for await (const entry of iterator) {
      if (entry.operation !== 'PUT') continue;
      const parsed = globalSettingsSchema.safeParse(parseJson(entry.string()));
      if (!parsed.success) {
        logger.warn({ revision: entry.revision }, 'ignored operator settings that do not parse');
        continue;
      }
      latest = parsed.data;
      for (const listener of listeners) apply(listener, parsed.data, logger);
    }
  })();
  return {
    current: () => latest,
    onChange(listener) {
      listeners.push(listener);
      if (latest) apply(listener, latest, logger);
    },
    async stop() {
      iterator.stop();
      await done.catch(() => undefined);
    },
  };
}

/** Applies the service's own log level: `logger.level` takes effect for the next line. */
export function applyLogLevel(logger: Logger, service: string, settings: GlobalSettings): void {
  if (!isConfigurable(service)) return;
  const level = settings.log_levels[service];
  if (logger.level === level) return;
  logger.info({ from: logger.level, to: level }, 'log level changed by the operator settings');
  logger.level = level;
}

function isConfigurable(service: string): service is ConfigurableService {
  return (configurableServices as readonly string[]).includes(service);
}

function apply(
  listener: (settings: GlobalSettings) => void,
  settings: GlobalSettings,
  logger: Logger,
): void {
  try {
    listener(settings);
  } catch (error) {
    logger.error({ err: error }, 'applying the operator settings failed');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
