// Configuration is parsed once at boot from the environment against a zod schema.
// A bad value stops the process with a message naming the variable.
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.issues = issues;
  }
}

export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      const shown =
        value === undefined ? 'unset' : `got ${JSON.stringify(redactValue(variable, value))}`;
      return `${variable}: ${issue.message} (${shown})`;
    }),
  );
}

/** Loads config or exits with the problems named: for composition roots. */
export function loadConfig<S extends z.ZodType>(schema: S): z.infer<S> {
  try {
    return parseConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

function redactValue(variable: string, value: string): string {
  return /TOKEN|SECRET|PASSWORD|KEY/i.test(variable) ? '[redacted]' : value;
}

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const logLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** Settings every service shares. Services extend this with their own. */
export const baseConfigSchema = z.object({
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  /** Prefix for streams and subjects so several installations (or test runs) share a NATS. */
  NZ_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_-]*$/i, 'letters, digits, "_" or "-" only')
    .default(''),
  LOG_LEVEL: logLevel.default('info'),
  /** Least severe level also shipped to the NZ_LOGS stream (the dashboard's Logs page). */
  LOG_STREAM_LEVEL: logLevel.default('info'),
  /** Log records kept for NZ_LOGS while NATS is away; beyond it the oldest are dropped. */
  LOG_STREAM_BUFFER: z.coerce.number().int().min(10).max(1_000_000).default(5000),
  HOST: z.string().default('127.0.0.1'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

export const configFields = { port, bool };
export type BaseConfig = z.infer<typeof baseConfigSchema>;
