// A narrow read view of NZ_EVENTS for the checks a command needs before appending:
// the last event on one subject (does this bot exist? which bot owns this group?) and
// its stream sequence (the ETag of optimistic concurrency); and the few events of one
// group (which channels are linked now), read one by one with next_by_subj.
import type { JetStreamManager } from '@nats-io/jetstream';
import { decodeEvent, type Naming } from '@nezuko/kit';
import type { DomainEvent } from '@nezuko/proto';

export interface StoredEvent {
  readonly seq: number;
  readonly event: DomainEvent;
}

export interface EventStoreView {
  /** The last event on `subject` (unprefixed, e.g. nz.evt.bot.1.registered), or null. */
  last(subject: string): Promise<StoredEvent | null>;
  /** Every event on `filter` (unprefixed, wildcards allowed), oldest first, at most `limit`. */
  all(filter: string, limit?: number): Promise<StoredEvent[]>;
}

export function jetStreamEventStore(jsm: JetStreamManager, names: Naming): EventStoreView {
  const stream = names.stream('NZ_EVENTS');
  return {
    async last(subject) {
      // null when nothing was ever stored on the subject.
      const msg = await jsm.streams.getMessage(stream, { last_by_subj: names.subject(subject) });
      if (!msg) return null;
      return { seq: msg.seq, event: decodeEvent(msg.header, msg.data).event };
    },
    async all(filter, limit = 10_000) {
      const found: StoredEvent[] = [];
      let seq = 1;
      while (found.length < limit) {
        // STREAM.MSG.GET's next_by_subj (nats-server 2.9+): the first match at or after seq.
        const query = { seq, next_by_subj: names.subject(filter) } as unknown as { seq: number };
        const msg = await jsm.streams.getMessage(stream, query);
        if (!msg) break;
        found.push({ seq: msg.seq, event: decodeEvent(msg.header, msg.data).event });
        seq = msg.seq + 1;
      }
      return found;
    },
  };
}
