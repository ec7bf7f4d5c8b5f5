// One application log record as the read API and the `logs` topic show it: where it sat
// in NZ_LOGS, when, which service at which level, and the record pino wrote.
import type { Naming } from '@nezuko/kit';

export interface LogItem {
  readonly seq: number;
  readonly time: string;
  readonly service: string;
  readonly level: string;
  /** The pino record (JSON object), or its text when it is not JSON. */
  readonly entry: unknown;
}

export interface StoredLogRecord {
  readonly seq: number;
  readonly subject: string;
  readonly time: Date;
  readonly text: string;
}

export function toLogItem(names: Naming, record: StoredLogRecord): LogItem {
  // nz.log.<service>.<level>
  const [, , service = '', level = ''] = names.local(record.subject).split('.');
  let entry: unknown;
  try {
    entry = JSON.parse(record.text);
  } catch {
    entry = record.text;
  }
  return { seq: record.seq, time: record.time.toISOString(), service, level, entry };
}
