// Each analytics chart as what a ChartCard needs: rows (every bucket present), the columns
// of its table and CSV, and what to draw. Pure: the API's parsed answer and "now" in,
// plain data out, so the shaping is unit-tested without a browser.
import type {
  AnalyticsFilters,
  ApiCalls,
  CacheBreakdown,
  CacheHitTrend,
  Distribution,
  GroupsStatus,
  HourlyActivity,
  LatencyDistribution,
  LatencyTrend,
  TopGroups,
  UserGrowth,
  VerificationTrend,
} from '../api/analytics.ts';
import type { Outcome } from '../api/contract.ts';
import { formatCount, formatLatency, formatPercent } from '../format.ts';
import { verificationSeries } from '../chart/verificationSeries.ts';
import type { CsvColumn } from './csv.ts';
import { isAllZero, type PlotRow, type PlotSeries, type PlotSpec } from './plotSpec.ts';
import {
  bucketLabel,
  bucketStarts,
  bucketTitle,
  fillBuckets,
  hourOfDayLabel,
  latencyBucketLabels,
} from './series.ts';

export interface ChartView<Row extends PlotRow> {
  rows: Row[];
  columns: CsvColumn<Row>[];
  spec: PlotSpec;
  empty: boolean;
}

const OUTCOME_LABEL: Record<Outcome, string> = {
  verified: 'Verified',
  restricted: 'Restricted',
  exempt: 'Exempt',
  error: 'Error',
};

const asText = (value: unknown) => (typeof value === 'string' ? value : String(value));
const countFormat = (n: number) => formatCount(n);
const latencyFormat = (n: number) => (n === 0 ? '0 ms' : formatLatency(n));
const percentAxis = (n: number) => `${n}%`;

function view<Row extends PlotRow>(
  rows: Row[],
  columns: CsvColumn<Row>[],
  spec: Omit<PlotSpec, 'rows'>,
): ChartView<Row> {
  return {
    rows,
    columns,
    spec: { ...spec, rows },
    empty: isAllZero({ rows, series: spec.series }),
  };
}

/** Time axes: the bucket's ISO start on a band scale, labelled for its granularity. */
function timeAxis(granularity: AnalyticsFilters['granularity']) {
  return {
    x: 'bucket',
    xFormat: (v: unknown) => bucketLabel(asText(v), granularity),
    rowTitle: (row: PlotRow) => bucketTitle(asText(row['bucket']), granularity),
  };
}

/** Line charts place each bucket at its time (`at`), so gaps stay gaps. */
function timeLineAxis(granularity: AnalyticsFilters['granularity']) {
  return {
    x: 'at',
    xFormat: (v: unknown) => (v instanceof Date ? bucketLabel(v.toISOString(), granularity) : ''),
    rowTitle: (row: PlotRow) => bucketTitle(asText(row['bucket']), granularity),
  };
}

const bucketColumn = <Row extends { bucket: string }>(): CsvColumn<Row> => ({
  label: 'Bucket start (UTC)',
  value: (r) => r.bucket,
});

export function verificationTrendView(data: VerificationTrend, nowMs: number) {
  const starts = bucketStarts(data.period, data.granularity, nowMs);
  const rows = fillBuckets(data.series, starts, (bucket) => ({
    bucket,
    verified: 0,
    restricted: 0,
    exempt: 0,
    error: 0,
    total: 0,
    cached: 0,
  }));
  return view(
    rows,
    [
      bucketColumn(),
      ...verificationSeries.map((s) => ({
        label: s.label,
        value: (r: (typeof rows)[number]) => r[s.key],
      })),
      { label: 'Total', value: (r) => r.total },
      { label: 'Cached', value: (r) => r.cached },
    ],
    {
      kind: 'bars',
      ...timeAxis(data.granularity),
      series: verificationSeries,
      valueFormat: countFormat,
    },
  );
}

export function userGrowthView(data: UserGrowth, nowMs: number) {
  const starts = bucketStarts(data.period, data.granularity, nowMs);
  const rows = fillBuckets(data.series, starts, (bucket) => ({ bucket, new_users: 0 }));
  return view(rows, [bucketColumn(), { label: 'New members', value: (r) => r.new_users }], {
    kind: 'bars',
    ...timeAxis(data.granularity),
    series: [{ key: 'new_users', label: 'New members', color: 'var(--chart-exempt)' }],
    valueFormat: countFormat,
  });
}

export function distributionView(data: Distribution) {
  const rows = data.items.map((i) => ({
    outcome: OUTCOME_LABEL[i.outcome],
    count: i.count,
    percent: i.percent,
  }));
  return view(
    rows,
    [
      { label: 'Outcome', value: (r) => r.outcome },
      { label: 'Checks', value: (r) => r.count },
      { label: 'Percent', value: (r) => r.percent },
    ],
    {
      kind: 'hbars',
      x: 'outcome',
      xFormat: asText,
      rowTitle: (row) => `${asText(row['outcome'])}: ${formatPercent(Number(row['percent']))}`,
      series: [{ key: 'count', label: 'Checks', color: 'var(--chart-verified)' }],
      valueFormat: countFormat,
    },
  );
}

const cacheSeries: PlotSeries[] = [
  { key: 'cached', label: 'From cache', color: 'var(--chart-exempt)' },
  { key: 'uncached', label: 'Asked Telegram', color: 'var(--chart-restricted)' },
];

export function cacheBreakdownView(data: CacheBreakdown) {
  const rows = data.by_outcome.map((o) => ({
    outcome: OUTCOME_LABEL[o.outcome],
    cached: o.cached,
    uncached: o.uncached,
  }));
  return view(
    rows,
    [
      { label: 'Outcome', value: (r) => r.outcome },
      { label: 'From cache', value: (r) => r.cached },
      { label: 'Asked Telegram', value: (r) => r.uncached },
    ],
    {
      kind: 'hbars',
      x: 'outcome',
      xFormat: asText,
      rowTitle: (row) => asText(row['outcome']),
      series: cacheSeries,
      valueFormat: countFormat,
    },
  );
}

export function groupsStatusView(data: GroupsStatus) {
  const rows = [
    { status: 'Enabled', groups: data.enabled },
    { status: 'Disabled', groups: data.disabled },
    { status: 'Protected', groups: data.protected },
    { status: 'Unprotected', groups: data.unprotected },
  ];
  return view(
    rows,
    [
      { label: 'Status', value: (r) => r.status },
      { label: 'Groups', value: (r) => r.groups },
    ],
    {
      kind: 'hbars',
      x: 'status',
      xFormat: asText,
      rowTitle: (row) => asText(row['status']),
      series: [{ key: 'groups', label: 'Groups', color: 'var(--accent)' }],
      valueFormat: countFormat,
    },
  );
}

export function apiCallsView(data: ApiCalls) {
  const rows = data.methods.map((m) => ({
    method: m.method,
    ok: m.count - m.errors,
    errors: m.errors,
    count: m.count,
    avg_latency_ms: m.avg_latency_ms,
    p95_latency_ms: m.p95_latency_ms,
  }));
  return view(
    rows,
    [
      { label: 'Method', value: (r) => r.method },
      { label: 'Calls', value: (r) => r.count },
      { label: 'Errors', value: (r) => r.errors },
      { label: 'Average latency (ms)', value: (r) => r.avg_latency_ms },
      { label: 'p95 latency (ms)', value: (r) => r.p95_latency_ms },
    ],
    {
      kind: 'hbars',
      x: 'method',
      xFormat: asText,
      rowTitle: (row) => asText(row['method']),
      series: [
        { key: 'ok', label: 'Succeeded', color: 'var(--chart-verified)' },
        { key: 'errors', label: 'Failed', color: 'var(--chart-error)' },
      ],
      valueFormat: countFormat,
    },
  );
}

export function hourlyActivityView(data: HourlyActivity) {
  const rows = data.items.map((i) => ({ hour: hourOfDayLabel(i.hour), count: i.count }));
  return view(
    rows,
    [
      { label: 'Hour (UTC)', value: (r) => r.hour },
      { label: 'Checks', value: (r) => r.count },
    ],
    {
      kind: 'bars',
      x: 'hour',
      xFormat: asText,
      rowTitle: (row) => `${asText(row['hour'])} UTC`,
      series: [{ key: 'count', label: 'Checks', color: 'var(--accent)' }],
      valueFormat: countFormat,
    },
  );
}

export function latencyDistributionView(data: LatencyDistribution) {
  const labels = latencyBucketLabels(data.buckets);
  const rows = data.buckets.map((b, i) => ({
    bucket: labels[i] ?? '',
    le_ms: b.le_ms,
    count: b.count,
  }));
  return view(
    rows,
    [
      { label: 'Latency bucket', value: (r) => r.bucket },
      { label: 'Up to (ms)', value: (r) => r.le_ms },
      { label: 'Checks', value: (r) => r.count },
    ],
    {
      kind: 'bars',
      x: 'bucket',
      xFormat: asText,
      rowTitle: (row) => asText(row['bucket']),
      series: [{ key: 'count', label: 'Checks', color: 'var(--chart-exempt)' }],
      valueFormat: countFormat,
    },
  );
}

export function latencyTrendView(data: LatencyTrend, nowMs: number) {
  const starts = bucketStarts(data.period, data.granularity, nowMs);
  const filled = fillBuckets(data.series, starts, (bucket) => ({
    bucket,
    count: 0,
    avg_ms: 0,
    p95_ms: null,
  }));
  // A bucket without checks has no latency: a gap in the line, not a dip to zero.
  const rows = filled.map((r) => ({
    bucket: r.bucket,
    at: new Date(r.bucket),
    count: r.count,
    avg_ms: r.count === 0 ? null : r.avg_ms,
    p95_ms: r.count === 0 ? null : r.p95_ms,
  }));
  return view(
    rows,
    [
      bucketColumn(),
      { label: 'Checks', value: (r) => r.count },
      { label: 'Average (ms)', value: (r) => r.avg_ms },
      { label: 'p95 (ms)', value: (r) => r.p95_ms },
    ],
    {
      kind: 'lines',
      ...timeLineAxis(data.granularity),
      series: [
        { key: 'avg_ms', label: 'Average', color: 'var(--chart-exempt)' },
        { key: 'p95_ms', label: 'p95', color: 'var(--chart-restricted)' },
      ],
      valueFormat: latencyFormat,
    },
  );
}

export function cacheHitTrendView(data: CacheHitTrend, nowMs: number) {
  const starts = bucketStarts(data.period, data.granularity, nowMs);
  const filled = fillBuckets(data.series, starts, (bucket) => ({
    bucket,
    total: 0,
    cached: 0,
    hit_rate: 0,
  }));
  const rows = filled.map((r) => ({
    bucket: r.bucket,
    at: new Date(r.bucket),
    total: r.total,
    cached: r.cached,
    hit_rate: r.total === 0 ? null : r.hit_rate,
  }));
  return view(
    rows,
    [
      bucketColumn(),
      { label: 'Checks', value: (r) => r.total },
      { label: 'From cache', value: (r) => r.cached },
      { label: 'Hit rate (%)', value: (r) => r.hit_rate },
    ],
    {
      kind: 'lines',
      ...timeLineAxis(data.granularity),
      series: [{ key: 'hit_rate', label: 'Hit rate', color: 'var(--chart-exempt)' }],
      valueFormat: percentAxis,
    },
  );
}

export function topGroupsView(data: TopGroups) {
  const rows = data.items.map((g) => ({
    group_id: g.group_id,
    title: g.title ?? g.group_id,
    verified: g.verified,
    restricted: g.restricted,
    other: g.total - g.verified - g.restricted,
    total: g.total,
    success_rate: g.success_rate,
    cache_hit_rate: g.cache_hit_rate,
  }));
  const titles = new Map(rows.map((r) => [r.group_id, r.title]));
  return view(
    rows,
    [
      { label: 'Group id', value: (r) => r.group_id },
      { label: 'Group', value: (r) => r.title },
      { label: 'Checks', value: (r) => r.total },
      { label: 'Verified', value: (r) => r.verified },
      { label: 'Restricted', value: (r) => r.restricted },
      { label: 'Success rate (%)', value: (r) => r.success_rate },
      { label: 'Cache hit rate (%)', value: (r) => r.cache_hit_rate },
    ],
    {
      // By id: two groups may share a title.
      kind: 'hbars',
      x: 'group_id',
      xFormat: (v) => {
        const text = titles.get(asText(v)) ?? asText(v);
        return text.length > 26 ? `${text.slice(0, 25)}…` : text;
      },
      rowTitle: (row) => asText(row['title']),
      series: [
        { key: 'verified', label: 'Verified', color: 'var(--chart-verified)' },
        { key: 'restricted', label: 'Restricted', color: 'var(--chart-restricted)' },
        { key: 'other', label: 'Exempt or error', color: 'var(--chart-exempt)' },
      ],
      valueFormat: countFormat,
    },
  );
}
