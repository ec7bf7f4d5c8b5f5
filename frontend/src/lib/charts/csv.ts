// A chart's data as CSV (RFC 4180: CRLF rows, quoted when needed). Cells a spreadsheet
// would run as a formula (leading = + - @, tab or carriage return) are prefixed with a
// single quote, so a group title like "=HYPERLINK(...)" stays text when the file is opened.

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvColumn<Row> {
  /** Header text. */
  label: string;
  value: (row: Row) => CsvCell;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, neutralised and quoted as needed. Numbers stay numbers (negative ones too). */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** A safe file name from a chart title: "Latency, p95 (7d)" -> "latency-p95-7d". */
export function fileSlug(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'chart';
}
