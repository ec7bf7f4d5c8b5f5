// Reading Bot API parameters the way the Bot API server does: every value may arrive as
// a JSON value or as a string (query string, form field, multipart part), objects may
// arrive JSON-encoded, and missing or malformed values get Telegram's own errors.

import { botApiErrors } from '../errors.ts';
import { DEFAULT_ALLOWED_UPDATES, UPDATE_TYPES } from '../state/routing.ts';
import type { TelegramError } from '../errors.ts';
import type { ChatRef } from '../state/chatAccess.ts';
import type { UpdateType } from '../state/routing.ts';
import type { InlineKeyboardButton, MessageEntity, ReplyMarkup } from '../state/types.ts';

export type Params = Record<string, unknown>;

export function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** An integer, or undefined when absent or not a number (Telegram then uses the default). */
export function intParam(params: Params, name: string): number | undefined {
  const text = stringParam(params, name)?.trim();
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return Number(text);
}

export function boolParam(params: Params, name: string): boolean {
  const text = stringParam(params, name)?.toLowerCase();
  return text === 'true' || text === '1';
}

/** A JSON-serialized object parameter; a string that is not JSON gets `onError`. */
export function jsonParam(params: Params, name: string, onError: () => TelegramError): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw onError();
  }
}

export function chatIdParam(params: Params, name = 'chat_id'): ChatRef {
  const text = stringParam(params, name)?.trim() ?? '';
  if (text === '') throw botApiErrors.chatIdEmpty();
  if (text.startsWith('@')) return text as `@${string}`;
  if (!/^[+-]?\d+$/.test(text)) throw botApiErrors.chatNotFound();
  return Number(text);
}

export function userIdParam(params: Params, name = 'user_id'): number {
  const id = intParam(params, name);
  if (id === undefined || id <= 0) throw botApiErrors.invalidUserId();
  return id;
}

export function messageIdParam(params: Params, name = 'message_id'): number {
  const id = intParam(params, name);
  if (id === undefined || id <= 0) throw botApiErrors.messageIdMissing();
  return id;
}

const BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** reply_markup, JSON or JSON-encoded; inline keyboards are checked like Telegram checks them and keep only the fields Telegram knows. */
export function replyMarkupParam(params: Params): ReplyMarkup | undefined {
  const markup = jsonParam(params, 'reply_markup', botApiErrors.cantParseReplyMarkup);
  if (markup === undefined) return undefined;
  if (!isRecord(markup)) throw botApiErrors.cantParseReplyMarkup();
  if (!('inline_keyboard' in markup)) return markup;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw botApiErrors.cantParseReplyMarkup();
  const inlineKeyboard = (rows as unknown[][]).map((row) => row.map(inlineButton));
  return { inline_keyboard: inlineKeyboard };
}

function inlineButton(button: unknown): InlineKeyboardButton {
  if (!isRecord(button) || typeof button.text !== 'string')
    throw botApiErrors.cantParseReplyMarkup();
  const actions = BUTTON_ACTIONS.filter(
    (action) => button[action] !== undefined && button[action] !== null,
  );
  if (actions.length === 0) throw botApiErrors.textButtonsUnallowed();
  const data = button.callback_data;
  if (
    data !== undefined &&
    (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64)
  ) {
    throw botApiErrors.buttonDataInvalid();
  }
  return {
    text: button.text,
    ...Object.fromEntries(actions.map((action) => [action, button[action]])),
  };
}

export function entitiesParam(params: Params, name = 'entities'): MessageEntity[] | undefined {
  const entities = jsonParam(params, name, () => botApiErrors.cantParseJson());
  return Array.isArray(entities) ? (entities as MessageEntity[]) : undefined;
}

/** allowed_updates: absent keeps the current setting; unknown names are ignored; a list with no known name (e.g. []) means the default. */
export function allowedUpdatesParam(params: Params): ReadonlySet<UpdateType> | undefined {
  let value: unknown;
  try {
    value = jsonParam(params, 'allowed_updates', botApiErrors.cantParseJson);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) return undefined;
  const known = new Set<string>(UPDATE_TYPES);
  const types = value
    .map((name: string) => name.toLowerCase())
    .filter((name) => known.has(name)) as UpdateType[];
  return types.length === 0 ? DEFAULT_ALLOWED_UPDATES : new Set(types);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value);
}
