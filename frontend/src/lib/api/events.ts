// The event stream as the read API decodes it (GET /api/v1/events), the Events page's
// filters, and merging a fresh page into what is shown (newest first, one row per seq).
import { items, num, record, str, nullableStr } from './shape.ts';

export interface EventItem {
  seq: number;
  subject: string;
  time: string;
  type: string | null;
  id: string | null;
  occurred_at: string | null;
  correlation_id: string | null;
  /** The decoded payload (JSON), absent when the event could not be decoded. */
  data: unknown;
  /** Why decoding failed, when it did. */
  undecodable: string | null;
}

export interface EventFilters {
  subject: string;
  type: string;
}

export const EVENTS_PAGE_SIZE = 100;
/** Rows kept while following live, so a long session stays light. */
export const EVENTS_CAP = 500;

export function parseEvents(body: unknown): EventItem[] {
  return items(body, 'events').map((value, i) => {
    const path = `events.items[${i}]`;
    const o = record(value, path);
    return {
      seq: num(o, 'seq', path),
      subject: str(o, 'subject', path),
      time: str(o, 'time', path),
      type: nullableStr(o, 'type', path),
      id: nullableStr(o, 'id', path),
      occurred_at: nullableStr(o, 'occurred_at', path),
      correlation_id: nullableStr(o, 'correlation_id', path),
      data: o['data'],
      undecodable: nullableStr(o, 'undecodable', path),
    };
  });
}

const subjectPattern = /^[A-Za-z0-9_.*>-]+$/;
const typePattern = /^[a-z_]+\.[a-z_]+$/;

export function eventFiltersFrom(params: URLSearchParams): EventFilters {
  return {
    subject: (params.get('subject') ?? '').trim().slice(0, 200),
    type: (params.get('type') ?? '').trim().slice(0, 100),
  };
}

/** What is wrong with each filter, by field, before asking the API. */
export function eventFilterProblems(
  filters: EventFilters,
): Partial<Record<keyof EventFilters, string>> {
  const problems: Partial<Record<keyof EventFilters, string>> = {};
  if (filters.subject && !subjectPattern.test(filters.subject))
    problems.subject = 'A subject like nz.evt.group.> (letters, digits, dots, * and >).';
  if (filters.type && !typePattern.test(filters.type))
    problems.type = 'An event type like verify.decided.';
  return problems;
}

export function eventsPath(filters: EventFilters, limit = EVENTS_PAGE_SIZE): string {
  const query = new URLSearchParams();
  if (filters.subject) query.set('subject', filters.subject);
  if (filters.type) query.set('type', filters.type);
  query.set('limit', String(limit));
  return `/api/v1/events?${query.toString()}`;
}

/** `shown` and `fresh` merged newest first, each seq once, at most `cap` rows. */
export function mergeNewestFirst(
  shown: readonly EventItem[],
  fresh: readonly EventItem[],
  cap = EVENTS_CAP,
): EventItem[] {
  const bySeq = new Map<number, EventItem>();
  for (const item of [...shown, ...fresh]) bySeq.set(item.seq, item);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, cap);
}

/** The payload as indented text for a <pre> (rendered as text, never markup). */
export function payloadText(item: EventItem): string {
  if (item.undecodable) return `Could not decode: ${item.undecodable}`;
  return JSON.stringify(item.data ?? null, null, 2);
}
