// Reads a JetStream stream newest first: the last sequence, then backwards with stream
// "get message" requests in parallel chunks, keeping the messages a filter accepts. The
// first chunk is the page size (enough when most messages match); each further one is
// twice the last (up to 256), so a filter that matches one message in ten costs a few
// round trips, not one per 32 messages.
// Bounded by `limit` matches, by `since` (messages are in time order) and by a probe
// budget, so a rare filter over a large stream answers quickly with what it found.
import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';

export interface BrowseOptions {
  readonly limit: number;
  readonly since?: Date | undefined;
  readonly accept: (msg: StoredMsg) => boolean;
  /** Most messages read before giving up (default 5000). */
  readonly maxProbes?: number;
}

const MAX_CHUNK = 256;

export async function browseNewestFirst(
  jsm: JetStreamManager,
  stream: string,
  options: BrowseOptions,
): Promise<{ items: StoredMsg[]; exhausted: boolean }> {
  let info;
  try {
    info = await jsm.streams.info(stream);
  } catch {
    return { items: [], exhausted: true }; // no such stream (not set up): nothing to show
  }
  const { first_seq: first, last_seq: last } = info.state;
  const items: StoredMsg[] = [];
  const budget = options.maxProbes ?? 5000;
  let seq = last;
  let probes = 0;
  let chunk = Math.min(Math.max(options.limit, 16), MAX_CHUNK);
  while (seq >= first && seq > 0 && items.length < options.limit && probes < budget) {
    const seqs: number[] = [];
    const lowest = Math.max(first, seq - Math.min(chunk, budget - probes) + 1);
    for (let s = seq; s >= lowest; s -= 1) seqs.push(s);
    chunk = Math.min(chunk * 2, MAX_CHUNK);
    seq -= seqs.length;
    probes += seqs.length;
    const msgs = await Promise.all(
      seqs.map((s) => jsm.streams.getMessage(stream, { seq: s }).catch(() => null)),
    );
    for (const msg of msgs) {
      if (!msg) continue; // deleted
      if (options.since && msg.time < options.since) return { items, exhausted: true };
      if (options.accept(msg)) items.push(msg);
      if (items.length >= options.limit) return { items, exhausted: false };
    }
  }
  return { items, exhausted: seq < first };
}

/** NATS subject matching with `*` (one token) and `>` (the rest). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i += 1) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
