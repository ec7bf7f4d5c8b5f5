// Failures on demand, for testing how clients cope: injected faults (the next N calls of
// a method fail with a given error) and an optional per-bot rate limiter that answers
// 429 with retry_after like Telegram's flood control (off unless configured).

import { botApiErrors, TelegramError } from './errors.ts';

export interface FaultSpec {
  token?: string;
  method: string;
  error_code: number;
  description?: string;
  retry_after?: number;
  migrate_to_chat_id?: number;
  times?: number;
}

interface Fault {
  token: string | undefined;
  method: string;
  error: TelegramError;
  remaining: number;
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

export class FaultInjector {
  private faults: Fault[] = [];

  add(spec: FaultSpec): void {
    const description =
      spec.description ??
      (spec.error_code === 429
        ? `Too Many Requests: retry after ${spec.retry_after ?? 1}`
        : (DEFAULT_DESCRIPTIONS[spec.error_code] ?? 'Error'));
    const parameters =
      spec.retry_after !== undefined || spec.migrate_to_chat_id !== undefined
        ? {
            ...(spec.retry_after !== undefined ? { retry_after: spec.retry_after } : {}),
            ...(spec.migrate_to_chat_id !== undefined
              ? { migrate_to_chat_id: spec.migrate_to_chat_id }
              : {}),
          }
        : undefined;
    this.faults.push({
      token: spec.token,
      method: spec.method.toLowerCase(),
      error: new TelegramError(spec.error_code, description, parameters),
      remaining: spec.times ?? 1,
    });
  }

  /** The error this call must fail with, consuming one use of the matching fault. */
  take(token: string, method: string): TelegramError | undefined {
    const name = method.toLowerCase();
    const fault = this.faults.find(
      (f) => f.method === name && (f.token === undefined || f.token === token),
    );
    if (fault === undefined) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault.error;
  }

  list(): Array<{
    token?: string;
    method: string;
    error_code: number;
    description: string;
    remaining: number;
  }> {
    return this.faults.map((f) => ({
      ...(f.token !== undefined ? { token: f.token } : {}),
      method: f.method,
      error_code: f.error.errorCode,
      description: f.error.description,
      remaining: f.remaining,
    }));
  }

  clear(): void {
    this.faults = [];
  }
}

export interface RateLimits {
  /** Bot API calls per second per bot (getUpdates excluded). */
  requests_per_second?: number;
  /** Messages a bot may send per minute into one chat. */
  messages_per_minute_per_chat?: number;
}

const SENDING_METHODS = new Set(['sendmessage', 'editmessagetext', 'editmessagereplymarkup']);
const UNLIMITED_METHODS = new Set(['getupdates']);

export class RateLimiter {
  private limits: RateLimits | undefined;
  private readonly calls = new Map<number, number[]>();
  private readonly sends = new Map<string, number[]>();

  configure(limits: RateLimits | undefined): void {
    this.limits = limits;
    this.calls.clear();
    this.sends.clear();
  }

  get current(): RateLimits | undefined {
    return this.limits;
  }

  /** A 429 if this call exceeds a limit; otherwise the call is counted. */
  check(
    botId: number,
    method: string,
    chatKey: string | undefined,
    nowMs: number,
  ): TelegramError | undefined {
    const limits = this.limits;
    const name = method.toLowerCase();
    if (limits === undefined || UNLIMITED_METHODS.has(name)) return undefined;
    const calls = recent(this.calls, botId, nowMs - 1000);
    if (limits.requests_per_second !== undefined && calls.length >= limits.requests_per_second) {
      return retryAfter(calls, 1000, nowMs);
    }
    const sendKey =
      chatKey !== undefined && SENDING_METHODS.has(name) ? `${botId}:${chatKey}` : undefined;
    const sends = sendKey === undefined ? undefined : recent(this.sends, sendKey, nowMs - 60_000);
    if (
      sends &&
      limits.messages_per_minute_per_chat !== undefined &&
      sends.length >= limits.messages_per_minute_per_chat
    ) {
      return retryAfter(sends, 60_000, nowMs);
    }
    calls.push(nowMs);
    sends?.push(nowMs);
    return undefined;
  }
}

function recent<K>(windows: Map<K, number[]>, key: K, since: number): number[] {
  const kept = (windows.get(key) ?? []).filter((at) => at > since);
  windows.set(key, kept);
  return kept;
}

function retryAfter(window: number[], windowMs: number, nowMs: number): TelegramError {
  const oldest = window[0] ?? nowMs;
  return botApiErrors.tooManyRequests(Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000)));
}
