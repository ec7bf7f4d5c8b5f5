// Reads a JetStream stream newest first: the last sequence, then backwards with stream
// "get message" requests in small parallel chunks, keeping the messages a filter accepts.
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

const CHUNK = 32;

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
  while (seq >= first && seq > 0 && items.length < options.limit && probes < budget) {
    const seqs: number[] = [];
    for (let s = seq; s >= Math.max(first, seq - CHUNK + 1); s -= 1) seqs.push(s);
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
