// The one door to the Bot API for a bot: every call waits for the bot's rate limiter,
// carries a timeout, and is measured. Built on telegraf's API client (its TelegramError
// keeps Telegram's error_code, description and retry_after). The token lives only here.
import type { Meter } from '@opentelemetry/api';
import { Telegram } from 'telegraf';
import type { Opts, Telegram as BotApi } from 'telegraf/types';
import { classifyTelegramFailure } from './errors.ts';
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
      try {
        const result = await api.callApi(method, payload, { signal: signal as never });
        calls.add(1, { method, outcome: 'ok' });
        return result;
      } catch (error) {
        calls.add(1, { method, outcome: classifyTelegramFailure(error).kind });
        throw error;
      } finally {
        seconds.record((performance.now() - started) / 1000, { method });
      }
    },
  };
}
