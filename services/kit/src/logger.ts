// JSON logs via pino. Secrets never reach the output: known fields are redacted by path
// and anything shaped like a Telegram bot token is masked wherever it appears.
import { pino, type Logger } from 'pino';

export type { Logger };

const botTokenPattern = /(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g;

export function maskSecrets(text: string): string {
  return text.replace(botTokenPattern, '[redacted-bot-token]');
}

const redactPaths = [
  'token',
  'botToken',
  'password',
  'secret',
  'authorization',
  'cookie',
  '*.token',
  '*.botToken',
  '*.password',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'res.headers["set-cookie"]',
];

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // keep it an Error of its class so pino's serializer still reports the right type
    const masked = Object.create(Object.getPrototypeOf(value) as object) as Error;
    Object.assign(masked, value, {
      message: maskSecrets(value.message),
      stack: maskSecrets(value.stack ?? ''),
    });
    return masked;
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

/** A second destination with its own minimum level (e.g. the NZ_LOGS shipper). */
export interface LogTee {
  readonly level: string;
  readonly destination: pino.DestinationStream;
}

export function createLogger(
  service: string,
  level: string,
  destination?: pino.DestinationStream,
  tee?: LogTee,
): Logger {
  // Both destinations receive the same serialised line, so redaction applies to both.
  const output = tee
    ? pino.multistream([
        {
          level: level as pino.Level,
          stream: destination ?? pino.destination({ dest: 1, sync: true }),
        },
        { level: tee.level as pino.Level, stream: tee.destination },
      ])
    : destination;
  return pino(
    {
      level: tee ? lowerLevel(level, tee.level) : level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => maskDeep(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? maskSecrets(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    output,
  );
}

function lowerLevel(a: string, b: string): string {
  const value = (label: string) => pino.levels.values[label] ?? Number.POSITIVE_INFINITY;
  return value(a) <= value(b) ? a : b;
}
