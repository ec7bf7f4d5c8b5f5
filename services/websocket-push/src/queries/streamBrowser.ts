// Reads a JetStream stream newest first, keeping the messages a filter accepts, bounded by
// `limit` matches, by `since` (messages are in time order) and by a budget of sequences
// looked at, so a rare filter over a large stream answers quickly with what it found.
//
// Two ways, by what the caller asks:
// - every subject: "get message" requests by sequence, backwards, in parallel chunks (the
//   first the page size, each further one twice the last up to 256): a page of the newest
//   messages costs one round of requests;
// - a narrower subject (a log level, one kind of event): each request costs ~70 µs, and
//   most sequences would not match, so the server filters instead. Windows of sequences
//   (growing backwards from the newest) are read by a short-lived ordered consumer on that
//   subject, which delivers only the matching messages (~7 µs each).
import {
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
  type StoredMsg,
} from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';

/** What a browsed message offers, from a "get message" or from a consumer. */
export type BrowsedMsg = Pick<StoredMsg, 'subject' | 'seq' | 'time' | 'data' | 'string'> & {
  readonly header: MsgHdrs | undefined;
};

export interface BrowseOptions {
  readonly limit: number;
  readonly since?: Date | undefined;
  /** Only messages on this subject (wildcards allowed) are looked at, filtered by NATS. */
  readonly subject?: string | undefined;
  readonly accept: (msg: BrowsedMsg) => boolean;
  /** Most sequences looked at before giving up (default 5000; 20× that with a subject). */
  readonly maxProbes?: number;
}

const MAX_CHUNK = 256;
const FIRST_WINDOW = 512;

export async function browseNewestFirst(
  jsm: JetStreamManager,
  stream: string,
  options: BrowseOptions,
): Promise<{ items: BrowsedMsg[]; exhausted: boolean }> {
  let info;
  try {
    info = await jsm.streams.info(stream);
  } catch {
    return { items: [], exhausted: true }; // no such stream (not set up): nothing to show
  }
  const { first_seq: first, last_seq: last } = info.state;
  if (last === 0 || last < first) return { items: [], exhausted: true };
  if (options.subject !== undefined && !info.config.subjects.includes(options.subject)) {
    return browseSubject(jsm, stream, { first, last }, { ...options, subject: options.subject });
  }
  // Direct gets (raw message, no JSON and base64 round) where the stream allows them.
  const get = (seq: number) =>
    (info.config.allow_direct
      ? jsm.direct.getMessage(stream, { seq })
      : jsm.streams.getMessage(stream, { seq })
    ).catch(() => null);
  const items: BrowsedMsg[] = [];
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
    const msgs = await Promise.all(seqs.map(get));
    for (const msg of msgs) {
      if (!msg) continue; // deleted
      if (options.since && msg.time < options.since) return { items, exhausted: true };
      if (options.accept(msg)) items.push(msg);
      if (items.length >= options.limit) return { items, exhausted: false };
    }
  }
  return { items, exhausted: seq < first };
}

/** Windows [start, end] from the newest backwards, each read by an ordered consumer. */
async function browseSubject(
  jsm: JetStreamManager,
  stream: string,
  bounds: { first: number; last: number },
  options: BrowseOptions & { subject: string },
): Promise<{ items: BrowsedMsg[]; exhausted: boolean }> {
  const js = jsm.jetstream();
  const budget = (options.maxProbes ?? 5000) * 20;
  const items: BrowsedMsg[] = [];
  let end = bounds.last;
  let window = FIRST_WINDOW;
  while (end >= bounds.first && items.length < options.limit && bounds.last - end < budget) {
    const start = Math.max(bounds.first, end - window + 1);
    window *= 2;
    const consumer = await js.consumers.get(stream, {
      filter_subjects: options.subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    // Matches from `start` to the stream's end now; at most the window's are read.
    const pending = (await consumer.info(true)).num_pending;
    const found: BrowsedMsg[] = [];
    let older = false;
    if (pending > 0) {
      const messages = await consumer.fetch({
        max_messages: Math.min(pending, end - start + 1),
        expires: 5000,
      });
      for await (const delivered of messages) {
        if (delivered.seq > end) break; // read with a newer window already
        const msg = browsed(delivered);
        if (options.since && msg.time < options.since) older = true;
        else if (options.accept(msg)) found.push(msg);
        if (delivered.seq === end) break;
      }
      await messages.close();
    }
    await consumer.delete().catch(() => undefined);
    // Newest first: this window's matches from its end backwards, then older windows'.
    for (let i = found.length - 1; i >= 0 && items.length < options.limit; i -= 1) {
      items.push(found[i]!);
    }
    if (items.length >= options.limit) return { items, exhausted: false };
    if (older) return { items, exhausted: true };
    end = start - 1;
  }
  return { items, exhausted: end < bounds.first };
}

function browsed(msg: JsMsg): BrowsedMsg {
  return {
    subject: msg.subject,
    seq: msg.seq,
    time: new Date(Math.floor(msg.info.timestampNanos / 1_000_000)),
    data: msg.data,
    header: msg.headers,
    string: () => msg.string(),
  };
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
