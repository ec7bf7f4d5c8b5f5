// How numbers, durations, times and people read on the dashboard. Pure: the current
// time is passed in, and the locale is fixed so server and browser render the same text.
import type { ActivityItem, Outcome, Trigger } from './api/contract.ts';

const LOCALE = 'en-US';
const counts = new Intl.NumberFormat(LOCALE);
const shortDay = new Intl.DateTimeFormat(LOCALE, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const longDay = new Intl.DateTimeFormat(LOCALE, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
});
const timestamp = new Intl.DateTimeFormat(LOCALE, {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: 'UTC',
});

export const NO_VALUE = '—';

export function formatCount(n: number): string {
  return Number.isFinite(n) ? counts.format(n) : NO_VALUE;
}

/** The read API sends percentages (0-100) already rounded to one decimal. */
export function formatPercent(percent: number): string {
  return Number.isFinite(percent) ? `${percent.toFixed(1)}%` : NO_VALUE;
}

/** Two most significant units: "3d 4h", "4h 12m", "12m 5s", "45s". */
export function formatUptime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds <= 0) return NO_VALUE;
  const s = Math.floor(totalSeconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_VALUE;
  if (ms < 1) return '<1 ms';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago"; a time slightly ahead (clock skew) is "just now". */
export function formatRelativeTime(iso: string, nowMs: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return NO_VALUE;
  const seconds = Math.floor((nowMs - then) / 1_000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ago`;
  return `${Math.floor(hours / 24)}d ago`;
}

export function formatTimestamp(iso: string): string {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? NO_VALUE : `${timestamp.format(then)} UTC`;
}

/** Chart dates are UTC calendar days ("YYYY-MM-DD"). */
export function formatDayShort(date: string): string {
  const then = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(then) ? date : shortDay.format(then);
}

export function formatDayLong(date: string): string {
  const then = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(then) ? date : longDay.format(then);
}

export interface UserLabel {
  /** The name a group admin recognises. */
  name: string;
  /** What tells two people with the same name apart. */
  detail: string;
}

export function describeUser(
  item: Pick<ActivityItem, 'first_name' | 'username' | 'user_id'>,
): UserLabel {
  const first = item.first_name?.trim() || null;
  const handle = item.username ? `@${item.username}` : null;
  if (first) return { name: first, detail: handle ?? `id ${item.user_id}` };
  if (handle) return { name: handle, detail: `id ${item.user_id}` };
  return { name: `User ${item.user_id}`, detail: '' };
}

export function describeGroup(item: Pick<ActivityItem, 'group_title' | 'group_id'>): string {
  return item.group_title?.trim() || `Group ${item.group_id}`;
}

export const outcomeLabels: Record<Outcome, string> = {
  verified: 'Verified',
  restricted: 'Restricted',
  exempt: 'Exempt',
  error: 'Error',
};

export const triggerLabels: Record<Trigger, string> = {
  join: 'Joined',
  message: 'Message',
  verify_button: 'Verify button',
  // Nezuko looked again on its own: the member left a linked channel, or a re-check ran.
  recheck: 'Re-check',
};
