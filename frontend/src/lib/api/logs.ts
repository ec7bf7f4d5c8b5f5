// Application logs as the read API (GET /api/v1/logs) and the `logs` live topic give
// them, the filters the Logs page keeps in its URL, and how a record reads on screen.
import { ContractError } from './contract.ts';
import { items, num, record, str, type Json } from './shape.ts';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogItem {
  seq: number;
  time: string;
  service: string;
  level: string;
  /** The pino record, or its text when the line was not JSON. */
  entry: unknown;
}

export interface LogFilters {
  level: LogLevel | null;
  search: string;
}

export function parseLogItem(value: unknown, path = 'item'): LogItem {
  const o = record(value, path);
  return {
    seq: num(o, 'seq', path),
    time: str(o, 'time', path),
    service: str(o, 'service', path),
    level: str(o, 'level', path),
    entry: o['entry'],
  };
}

export function parseLogs(body: unknown): LogItem[] {
  return items(body, 'logs').map((item, i) => parseLogItem(item, `logs.items[${i}]`));
}

/** A frame of the `logs` topic: one record, or how many a storm left out. */
export type LogFrame = { kind: 'log'; item: LogItem } | { kind: 'skipped'; count: number };

export function parseLogFrame(name: string, body: Record<string, unknown>): LogFrame | null {
  if (name === 'log') return { kind: 'log', item: parseLogItem(body['item'], 'log.item') };
  if (name === 'log_skipped') {
    const count = num(body, 'count', 'log_skipped');
    if (count < 0) throw new ContractError('log_skipped.count: expected a positive number');
    return { kind: 'skipped', count };
  }
  return null;
}

export function logFiltersFrom(params: URLSearchParams): LogFilters {
  const level = params.get('level');
  return {
    level: (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as LogLevel) : null,
    search: (params.get('search') ?? '').trim().slice(0, 200),
  };
}

export function logsPath(filters: LogFilters, limit: number): string {
  const query = new URLSearchParams();
  if (filters.level) query.set('level', filters.level);
  if (filters.search) query.set('search', filters.search);
  query.set('limit', String(limit));
  return `/api/v1/logs?${query.toString()}`;
}

const standardFields = new Set(['level', 'time', 'service', 'msg', 'pid', 'hostname']);

/** The message line and the remaining fields of a record, for display as text. */
export function describeEntry(entry: unknown): { message: string; details: Json | null } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    return { message: typeof entry === 'string' ? entry : JSON.stringify(entry), details: null };
  const o = entry as Json;
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !standardFields.has(k)));
  return {
    message: typeof o['msg'] === 'string' ? o['msg'] : '',
    details: Object.keys(rest).length > 0 ? rest : null,
  };
}

/** Whether a live record belongs in a view filtered like the history was. */
export function matchesLogFilters(item: LogItem, filters: LogFilters): boolean {
  if (filters.level && item.level !== filters.level) return false;
  if (!filters.search) return true;
  return JSON.stringify(item.entry).toLowerCase().includes(filters.search.toLowerCase());
}
