// The groups and channels tables keep their state in the URL (search, status, sort,
// page, per_page): the server renders exactly what the link says, links are shareable
// and the back button walks through earlier views. Parsing never fails: a value the read
// API would refuse falls back to its default, so a hand-edited link still shows a table.

export const GROUP_STATUSES = ['all', 'enabled', 'disabled', 'protected', 'unprotected'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];
export const GROUP_SORT_KEYS = ['created_at', 'title', 'updated_at'] as const;
export type GroupSortKey = (typeof GROUP_SORT_KEYS)[number];
export const PAGE_SIZES = [10, 20, 50, 100] as const;

export interface GroupSort {
  key: GroupSortKey;
  descending: boolean;
}

export interface ListQuery {
  search: string;
  page: number;
  perPage: number;
}

export interface GroupsQuery extends ListQuery {
  status: GroupStatus;
  sort: GroupSort;
}

export const DEFAULT_PER_PAGE = 20;
export const DEFAULT_GROUP_SORT: GroupSort = { key: 'created_at', descending: true };

function positiveInt(raw: string | null, max: number, fallback: number): number {
  if (raw === null || !/^\d{1,7}$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : fallback;
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  return {
    search: (params.get('search') ?? '').trim().slice(0, 200),
    page: positiveInt(params.get('page'), 1_000_000, 1),
    perPage: positiveInt(params.get('per_page'), 100, DEFAULT_PER_PAGE),
  };
}

export function parseSort(raw: string | null): GroupSort {
  if (raw === null) return DEFAULT_GROUP_SORT;
  const descending = raw.startsWith('-');
  const key = descending ? raw.slice(1) : raw;
  return (GROUP_SORT_KEYS as readonly string[]).includes(key)
    ? { key: key as GroupSortKey, descending }
    : DEFAULT_GROUP_SORT;
}

export const sortParam = (sort: GroupSort): string => `${sort.descending ? '-' : ''}${sort.key}`;

export function parseGroupsQuery(params: URLSearchParams): GroupsQuery {
  const status = params.get('status') ?? 'all';
  return {
    ...parseListQuery(params),
    status: (GROUP_STATUSES as readonly string[]).includes(status)
      ? (status as GroupStatus)
      : 'all',
    sort: parseSort(params.get('sort')),
  };
}

/** The query string (no `?`) for `query`, leaving defaults out so links stay short. */
export function listSearch(query: ListQuery | GroupsQuery): string {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if ('status' in query) {
    if (query.status !== 'all') params.set('status', query.status);
    const sort = sortParam(query.sort);
    if (sort !== sortParam(DEFAULT_GROUP_SORT)) params.set('sort', sort);
  }
  if (query.page !== 1) params.set('page', String(query.page));
  if (query.perPage !== DEFAULT_PER_PAGE) params.set('per_page', String(query.perPage));
  return params.toString();
}

/** The read API's query string for `query` (every parameter spelled out). */
export function readApiSearch(query: ListQuery | GroupsQuery): string {
  const params = new URLSearchParams({
    page: String(query.page),
    per_page: String(query.perPage),
    search: query.search,
  });
  if ('status' in query) {
    params.set('status', query.status);
    params.set('sort', sortParam(query.sort));
  }
  return `?${params.toString()}`;
}

/**
 * Clicking a column header: a new column starts in its natural order (titles A→Z, dates
 * newest first); clicking the sorted column again flips it.
 */
export function toggleSort(current: GroupSort, key: GroupSortKey): GroupSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key !== 'title' };
}

export const pageCount = (total: number, perPage: number): number =>
  Math.max(1, Math.ceil(total / perPage));

/** A detail page's chart window: `?days=30`, else the last 7 days. */
export const CHART_WINDOWS = [7, 30] as const;
export function chartDaysOf(params: URLSearchParams): (typeof CHART_WINDOWS)[number] {
  return params.get('days') === '30' ? 30 : 7;
}
