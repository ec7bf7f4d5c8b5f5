// The one door to the Bot API for a bot: every call waits for the bot's rate limiter,
// carries a timeout, and is measured. Built on telegraf's API client (its TelegramError
// keeps Telegram's error_code, description and retry_after). The token lives only here.
import type { Meter } from '@opentelemetry/api';
import { Telegram } from 'telegraf';
import type { Opts, Telegram as BotApi } from 'telegraf/types';
import { classifyTelegramFailure, type TelegramFailure } from './errors.ts';
import type { RateLimiter } from './limiter.ts';

export type BotApiMethod = keyof BotApi;
export type BotApiResult<M extends BotApiMethod> = ReturnType<BotApi[M]>;

export interface CallOptions {
  readonly timeoutMs?: number;
  /** Aborts the call, e.g. a long poll when the gateway stops. */
  readonly signal?: AbortSignal;
}

export interface TelegramClient {
  call<M extends BotApiMethod>(
    method: M,
    payload: Opts<M>,
    options?: CallOptions,
  ): Promise<BotApiResult<M>>;
}

export interface TelegramClientOptions {
  readonly token: string;
  readonly apiRoot: string;
  readonly limiter: RateLimiter;
  readonly meter: Meter;
  readonly defaultTimeoutMs?: number;
  /** Told about every call once it ended (the api_called events); must not throw or block. */
  readonly onCall?: (call: FinishedCall) => void;
}

export interface FinishedCall {
  readonly method: string;
  /** The chat the call named, '0' for none. */
  readonly chatId: string;
  readonly latencyMs: number;
  readonly failure?: TelegramFailure;
}

export function createTelegramClient(options: TelegramClientOptions): TelegramClient {
  const api = new Telegram(options.token, { apiRoot: options.apiRoot, webhookReply: false });
  const calls = options.meter.createCounter('nezuko_telegram_calls_total', {
    description:
      'Bot API calls by method and outcome (ok, rate_limited, unavailable, rejected, network)',
  });
  const seconds = options.meter.createHistogram('nezuko_telegram_call_seconds', {
    description:
      'Bot API call latency, rate-limiter wait excluded (getUpdates includes the long-poll wait)',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] },
  });
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 15_000;

  return {
    async call(method, payload, callOptions = {}) {
      await options.limiter.take();
      const timeout = AbortSignal.timeout(callOptions.timeoutMs ?? defaultTimeoutMs);
      const signal = callOptions.signal ? AbortSignal.any([callOptions.signal, timeout]) : timeout;
      const started = performance.now();
      let failure: TelegramFailure | undefined;
      try {
        const result = await api.callApi(method, payload, { signal: signal as never });
        calls.add(1, { method, outcome: 'ok' });
        return result;
      } catch (error) {
        failure = classifyTelegramFailure(error);
        calls.add(1, { method, outcome: failure.kind });
        throw error;
      } finally {
        const elapsed = performance.now() - started;
        seconds.record(elapsed / 1000, { method });
        options.onCall?.({
          method,
          chatId: chatOf(payload),
          latencyMs: Math.round(elapsed),
          ...(failure ? { failure } : {}),
        });
      }
    },
  };
}

function chatOf(payload: unknown): string {
  const chat = (payload as { chat_id?: unknown } | null)?.chat_id;
  return typeof chat === 'number' && Number.isSafeInteger(chat) ? String(chat) : '0';
}
