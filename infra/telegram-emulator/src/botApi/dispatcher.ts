// One Bot API call from token to answer: authentication, method lookup, injected faults,
// rate limits, the method itself, Telegram's response envelope, and the request log.
// Used for HTTP calls and for methods returned in webhook responses alike.

import { botApiErrors, TelegramError } from '../errors.ts';
import { findMethod } from './methods.ts';
import { stringParam } from './params.ts';
import type { Clock } from '../clock.ts';
import type { FaultInjector, RateLimiter } from '../faults.ts';
import type { RequestLog, RequestLogEntry } from '../requestLog.ts';
import type { Fact } from '../state/facts.ts';
import type { EmulatorState } from '../state/store.ts';
import type { UpdateHub } from '../updates/updateHub.ts';
import type { Params } from './params.ts';

export interface BotApiDeps {
  state: EmulatorState;
  hub: UpdateHub;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  requestLog: RequestLog;
  clock: Clock;
  publish: (facts: readonly Fact[]) => void;
  logError: (error: unknown, method: string) => void;
}

export interface BotApiCall {
  token: string;
  method: string;
  params: Params;
  signal: AbortSignal;
  source: RequestLogEntry['source'];
}

export interface BotApiResponse {
  status: number;
  body: Record<string, unknown>;
}

const TOKEN_FORMAT = /^\d+:[A-Za-z0-9_-]+$/;

function failure(error: TelegramError): BotApiResponse {
  return { status: error.errorCode, body: error.toResponse() };
}

export async function dispatch(deps: BotApiDeps, call: BotApiCall): Promise<BotApiResponse> {
  const startedAt = deps.clock.now();
  const bot = deps.state.botByToken(call.token);
  const method = findMethod(call.method);
  let response: BotApiResponse;
  if (!TOKEN_FORMAT.test(call.token)) response = failure(botApiErrors.notFound());
  else if (bot === undefined) response = failure(botApiErrors.unauthorized());
  else if (method === undefined) response = failure(botApiErrors.notFound());
  else {
    const chatKey = stringParam(call.params, 'chat_id');
    const refusal =
      deps.faults.take(call.token, method.name) ??
      deps.rateLimiter.check(bot.user.id, method.name, chatKey, startedAt);
    if (refusal) response = failure(refusal);
    else {
      try {
        const outcome = await method.handler({
          state: deps.state,
          hub: deps.hub,
          bot,
          params: call.params,
          now: Math.floor(startedAt / 1000),
          signal: call.signal,
          publish: deps.publish,
        });
        const body: Record<string, unknown> = { ok: true, result: outcome.result };
        if (outcome.description !== undefined) body.description = outcome.description;
        response = { status: 200, body };
      } catch (error) {
        if (error instanceof TelegramError) response = failure(error);
        else {
          deps.logError(error, method.name);
          response = failure(new TelegramError(500, 'Internal Server Error'));
        }
      }
    }
  }
  const logged: Omit<RequestLogEntry, 'id'> = {
    time: startedAt,
    bot_id: bot?.user.id ?? null,
    method: method?.name ?? call.method,
    params: call.params,
    status: response.status,
    ok: response.status === 200,
    duration_ms: deps.clock.now() - startedAt,
    source: call.source,
  };
  if (response.status !== 200) {
    logged.error_code = response.body.error_code as number;
    logged.description = response.body.description as string;
  }
  deps.requestLog.record(logged);
  return response;
}
