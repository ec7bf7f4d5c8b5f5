// What a chart card draws, independent of layerchart: rows, which field is the category
// (or time), and the series with their names and colours. The plot component turns it into
// layerchart marks; the card turns the same rows into the hidden table and the CSV.

export interface PlotSeries {
  key: string;
  label: string;
  color: string;
}

export type PlotKind =
  /** Vertical bars per category, series stacked. */
  | 'bars'
  /** Horizontal bars per category (long names), series stacked. */
  | 'hbars'
  /** One line per series over time (`x` holds a Date). */
  | 'lines';

export type PlotRow = Record<string, unknown>;

export interface PlotSpec {
  kind: PlotKind;
  rows: readonly PlotRow[];
  /** The row field on the category (or time) axis. */
  x: string;
  series: readonly PlotSeries[];
  /** Category or time as axis text. */
  xFormat: (value: unknown) => string;
  /** Values as axis and tooltip text. */
  valueFormat: (value: number) => string;
  /** Tooltip heading for a row. */
  rowTitle: (row: PlotRow) => string;
}

/** True when every series is zero (or missing) in every row: the card shows its empty state. */
export function isAllZero(spec: Pick<PlotSpec, 'rows' | 'series'>): boolean {
  return spec.rows.every((row) =>
    spec.series.every((s) => {
      const v = row[s.key];
      return typeof v !== 'number' || v === 0;
    }),
  );
}
