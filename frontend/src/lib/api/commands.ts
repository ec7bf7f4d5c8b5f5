// The read API's admin commands (GET /api/v1/commands?status=&limit=) and the groups a
// command can target (GET /api/v1/groups, only what the picker needs), checked field by
// field; plus the command API's 202 answer to POST /api/v1/commands.
import { items, nullableStr, oneOf, record, str } from './shape.ts';
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';

export const COMMAND_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export interface CommandItem {
  command_id: string;
  /** The command type (ban_user…); 'unknown' when the request never reached the projector. */
  kind: string;
  status: CommandStatus;
  actor: string | null;
  group_id: string | null;
  bot_id: string | null;
  /** Telegram's error (or verification's) when the command failed. */
  error: string | null;
  requested_at: string;
  updated_at: string;
}

export interface GroupOption {
  group_id: string;
  title: string | null;
}

export interface IssuedCommand {
  command_id: string;
  type: string;
  group_id: string;
  bot_id: string;
  status: string;
}

/** The most commands the list shows (the read API allows up to 500). */
export const COMMAND_LIST_LIMIT = 100;
/** The most groups the picker offers (the read API's page limit). */
export const GROUP_PICKER_LIMIT = 100;

export function parseCommand(value: unknown, path = 'command'): CommandItem {
  const o = record(value, path);
  return {
    command_id: str(o, 'command_id', path),
    kind: str(o, 'kind', path),
    status: oneOf(o, 'status', COMMAND_STATUSES, path),
    actor: nullableStr(o, 'actor', path),
    group_id: nullableStr(o, 'group_id', path),
    bot_id: nullableStr(o, 'bot_id', path),
    error: nullableStr(o, 'error', path),
    requested_at: str(o, 'requested_at', path),
    updated_at: str(o, 'updated_at', path),
  };
}

export const parseCommands = (body: unknown): CommandItem[] =>
  items(body, 'commands').map((item, i) => parseCommand(item, `commands.items[${i}]`));

export const parseGroupOptions = (body: unknown): GroupOption[] =>
  items(body, 'groups').map((item, i) => {
    const path = `groups.items[${i}]`;
    const o = record(item, path);
    return { group_id: str(o, 'group_id', path), title: nullableStr(o, 'title', path) };
  });

export function parseIssuedCommand(body: unknown): IssuedCommand {
  const o = record(body, 'issued');
  return {
    command_id: str(o, 'command_id', 'issued'),
    type: str(o, 'type', 'issued'),
    group_id: str(o, 'group_id', 'issued'),
    bot_id: str(o, 'bot_id', 'issued'),
    status: str(o, 'status', 'issued'),
  };
}

/** A status filter from the URL (`?status=`); anything else means all. */
export function statusFilter(value: string | null): CommandStatus | null {
  return COMMAND_STATUSES.includes(value as CommandStatus) ? (value as CommandStatus) : null;
}

export function commandsPath(status: CommandStatus | null): string {
  const query = new URLSearchParams({ limit: String(COMMAND_LIST_LIMIT) });
  if (status) query.set('status', status);
  return `/api/v1/commands?${query.toString()}`;
}

export const getCommands = (
  status: CommandStatus | null,
  options: ReadApiOptions,
): Promise<ApiResult<CommandItem[]>> => getJson(commandsPath(status), parseCommands, options);

export const getGroupOptions = (options: ReadApiOptions): Promise<ApiResult<GroupOption[]>> =>
  getJson(`/api/v1/groups?per_page=${GROUP_PICKER_LIMIT}&sort=title`, parseGroupOptions, options);
