// How much the overview shows and how often it refreshes, shared by its server load and page.

/** Days of history in the verifications chart. */
export const CHART_DAYS = 30;
/** Live verifications refetch the stats at most this often. */
export const STATS_REFRESH_MS = 2_000;
/** The chart changes slowly; a burst of verifications refetches it at most this often. */
export const CHART_REFRESH_MS = 10_000;
/** A part of the page that failed to load is retried this often. */
export const RETRY_FAILED_MS = 15_000;
