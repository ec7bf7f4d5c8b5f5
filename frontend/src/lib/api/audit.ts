// The audit trail as the read API gives it (GET /api/v1/audit) and the filters the Audit
// page keeps in its URL. Dates are whole UTC days: "until" includes its day, so the API
// query runs to the start of the next one.
import { items, num, record, str, nullableStr } from './shape.ts';

export interface AuditItem {
  seq: number;
  occurred_at: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: unknown;
}

export interface AuditFilters {
  actor: string;
  action: string;
  resource_type: string;
  /** YYYY-MM-DD or '' */
  since: string;
  /** YYYY-MM-DD or '' */
  until: string;
}

export const AUDIT_PAGE_SIZE = 200;

export function parseAudit(body: unknown): AuditItem[] {
  return items(body, 'audit').map((value, i) => {
    const path = `audit.items[${i}]`;
    const o = record(value, path);
    return {
      seq: num(o, 'seq', path),
      occurred_at: str(o, 'occurred_at', path),
      actor: str(o, 'actor', path),
      action: str(o, 'action', path),
      resource_type: str(o, 'resource_type', path),
      resource_id: nullableStr(o, 'resource_id', path),
      details: o['details'],
    };
  });
}

const day = /^\d{4}-\d{2}-\d{2}$/;

function validDay(value: string | null): string {
  if (!value || !day.test(value)) return '';
  return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? '' : value;
}

export function auditFiltersFrom(params: URLSearchParams): AuditFilters {
  const text = (key: string, max: number) => (params.get(key) ?? '').trim().slice(0, max);
  return {
    actor: text('actor', 200),
    action: text('action', 100),
    resource_type: text('resource_type', 100),
    since: validDay(params.get('since')),
    until: validDay(params.get('until')),
  };
}

/** A problem with the filters as a whole, to show next to the dates; null when fine. */
export function auditFilterProblem(filters: AuditFilters): string | null {
  if (filters.since && filters.until && filters.until < filters.since)
    return 'The "until" day is before the "from" day.';
  return null;
}

function nextDay(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

/** The read API path for these filters, as JSON (one page) or CSV (every match). */
export function auditPath(filters: AuditFilters, format: 'json' | 'csv'): string {
  const query = new URLSearchParams();
  if (filters.actor) query.set('actor', filters.actor);
  if (filters.action) query.set('action', filters.action);
  if (filters.resource_type) query.set('resource_type', filters.resource_type);
  if (filters.since) query.set('since', new Date(`${filters.since}T00:00:00Z`).toISOString());
  if (filters.until) query.set('until', nextDay(filters.until));
  if (format === 'csv') query.set('format', 'csv');
  else query.set('limit', String(AUDIT_PAGE_SIZE));
  return `/api/v1/audit?${query.toString()}`;
}

/**
 * Details as labelled text for a disclosure (never markup): one entry per field, values
 * that are JSON text (old and new values) indented so a change can be read.
 */
export function detailEntries(details: unknown): { key: string; text: string }[] {
  if (details === null || details === undefined || details === '') return [];
  if (typeof details !== 'object' || Array.isArray(details))
    return [{ key: 'details', text: readable(details) }];
  return Object.entries(details).map(([key, value]) => ({ key, text: readable(value) }));
}

function readable(value: unknown): string {
  if (typeof value === 'string') {
    if (!/^[[{]/.test(value)) return value;
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? String(value);
}
