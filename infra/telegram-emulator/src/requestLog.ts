// Every Bot API call the emulator answered, for tests and the demo to inspect: when,
// which bot, which method, with what parameters, and what came back.

export interface RequestLogEntry {
  id: number;
  /** Milliseconds since the epoch, from the emulator's clock. */
  time: number;
  bot_id: number | null;
  method: string;
  params: Record<string, unknown>;
  status: number;
  ok: boolean;
  error_code?: number;
  description?: string;
  duration_ms: number;
  /** 'webhook_reply' when the call came in a webhook response. */
  source: 'http' | 'webhook_reply';
}

export interface RequestLogQuery {
  botId?: number;
  method?: string;
  /** Entries at or after this time (ms since epoch). */
  since?: number;
  /** Entries after this id. */
  afterId?: number;
}

const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private nextId = 1;

  record(entry: Omit<RequestLogEntry, 'id'>): void {
    this.entries.push({ id: this.nextId++, ...entry });
    if (this.entries.length > MAX_ENTRIES)
      this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  query(filter: RequestLogQuery): RequestLogEntry[] {
    const method = filter.method?.toLowerCase();
    return this.entries.filter(
      (entry) =>
        (filter.botId === undefined || entry.bot_id === filter.botId) &&
        (method === undefined || entry.method.toLowerCase() === method) &&
        (filter.since === undefined || entry.time >= filter.since) &&
        (filter.afterId === undefined || entry.id > filter.afterId),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
