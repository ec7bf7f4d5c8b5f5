// The read API's bots (GET /api/v1/bots) and the command API's bot identity answers
// (POST /api/v1/bots/verify, POST /api/v1/bots), checked field by field. A bot row never
// carries a token: the read model has none.
import { ContractError } from './contract.ts';
import { items, num, nullableStr, oneOf, record, str } from './shape.ts';
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';

export const BOT_STATUSES = ['unknown', 'running', 'stopped', 'error'] as const;
export type BotStatus = (typeof BOT_STATUSES)[number];

export const BOT_LIFECYCLES = ['enabled', 'disabled', 'deleted'] as const;
export type BotLifecycle = (typeof BOT_LIFECYCLES)[number];

export interface BotItem {
  bot_id: string;
  username: string | null;
  first_name: string | null;
  status: BotStatus;
  lifecycle: BotLifecycle;
  uptime_seconds: number;
  last_heartbeat_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  registered_at: string | null;
  api_calls: number;
  api_errors: number;
  groups: number;
}

/** What Telegram's getMe said about a token, as the command API relays it. */
export interface BotIdentity {
  bot_id: string;
  username: string;
  first_name: string;
  can_join_groups: boolean;
}

export function parseBot(value: unknown, path = 'bot'): BotItem {
  const o = record(value, path);
  return {
    bot_id: str(o, 'bot_id', path),
    username: nullableStr(o, 'username', path),
    first_name: nullableStr(o, 'first_name', path),
    status: oneOf(o, 'status', BOT_STATUSES, path),
    lifecycle: oneOf(o, 'lifecycle', BOT_LIFECYCLES, path),
    uptime_seconds: num(o, 'uptime_seconds', path),
    last_heartbeat_at: nullableStr(o, 'last_heartbeat_at', path),
    last_error: nullableStr(o, 'last_error', path),
    last_error_at: nullableStr(o, 'last_error_at', path),
    registered_at: nullableStr(o, 'registered_at', path),
    api_calls: num(o, 'api_calls', path),
    api_errors: num(o, 'api_errors', path),
    groups: num(o, 'groups', path),
  };
}

/** The bots an admin manages: deleted ones are history, not part of the list. */
export function parseBots(body: unknown): BotItem[] {
  return items(body, 'bots')
    .map((item, i) => parseBot(item, `bots.items[${i}]`))
    .filter((bot) => bot.lifecycle !== 'deleted');
}

export function parseBotIdentity(body: unknown): BotIdentity {
  const o = record(body, 'identity');
  const canJoin = o['can_join_groups'];
  if (typeof canJoin !== 'boolean')
    throw new ContractError('identity.can_join_groups: expected a boolean');
  return {
    bot_id: str(o, 'bot_id', 'identity'),
    username: str(o, 'username', 'identity'),
    first_name: str(o, 'first_name', 'identity'),
    can_join_groups: canJoin,
  };
}

export const getBots = (options: ReadApiOptions): Promise<ApiResult<BotItem[]>> =>
  getJson('/api/v1/bots', parseBots, options);
