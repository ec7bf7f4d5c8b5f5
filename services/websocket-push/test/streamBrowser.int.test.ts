// The stream browser against real JetStream: with a narrower subject (read by ordered
// consumers over growing windows) it returns exactly what the sequence-by-sequence way
// returns — the newest matches first, the limit, the accept filter, `since` — including
// when the matches span several windows.
import { testEnv, uniqueNamespace } from '@nezuko/kit/testing';
import { openEventStore, type EventStoreFixture } from '@nezuko/analytics-projector/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseNewestFirst, subjectMatches } from '../src/queries/streamBrowser.ts';

let store: EventStoreFixture;
let stream: string;
const records: { seq: number; level: string; text: string }[] = [];
let middle: Date;

beforeAll(async () => {
  store = await openEventStore(testEnv().natsUrl, uniqueNamespace('browse'));
  stream = store.names.stream('NZ_LOGS');
  const publish = async (from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const level = i % 10 === 0 ? 'error' : i % 3 === 0 ? 'warn' : 'info';
      const text = JSON.stringify({ msg: `record ${i}`, tag: i % 7 === 0 ? 'seven' : 'other' });
      const ack = await store.js.publish(store.names.subject(`nz.log.svc.${level}`), text);
      records.push({ seq: ack.seq, level, text });
    }
  };
  await publish(0, 1500);
  await new Promise((resolve) => setTimeout(resolve, 50));
  middle = new Date();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await publish(1500, 3000);
});

afterAll(async () => {
  await store?.close();
});

const errorSubject = () => store.names.subject('nz.log.*.error');
const seqs = (items: { seq: number }[]) => items.map((m) => m.seq);
const newestErrors = (limit: number, keep: (r: (typeof records)[number]) => boolean = () => true) =>
  records
    .filter((r) => r.level === 'error' && keep(r))
    .reverse()
    .slice(0, limit)
    .map((r) => r.seq);

describe('browsing one subject', () => {
  it('returns the newest matches across several windows, as the by-sequence way does', async () => {
    // 150 errors are one in ten of the last 1500 sequences: three windows (512, 1024, …).
    const pattern = errorSubject();
    const accept = (m: { subject: string }) => subjectMatches(pattern, m.subject);
    const filtered = await browseNewestFirst(store.jsm, stream, {
      limit: 150,
      subject: pattern,
      accept,
    });
    expect(seqs(filtered.items)).toEqual(newestErrors(150));
    expect(filtered.exhausted).toBe(false);
    const bySequence = await browseNewestFirst(store.jsm, stream, { limit: 150, accept });
    expect(seqs(bySequence.items)).toEqual(seqs(filtered.items));
    expect(filtered.items[0]!.string()).toBe(
      records.find((r) => r.seq === filtered.items[0]!.seq)!.text,
    );
  });

  it('applies the accept filter and says when the stream is exhausted', async () => {
    const pattern = errorSubject();
    const accept = (m: { subject: string; string(): string }) =>
      subjectMatches(pattern, m.subject) && m.string().includes('seven');
    const found = await browseNewestFirst(store.jsm, stream, {
      limit: 500,
      subject: pattern,
      accept,
    });
    expect(seqs(found.items)).toEqual(newestErrors(500, (r) => r.text.includes('seven')));
    expect(found.exhausted).toBe(true);
  });

  it('stops at `since`', async () => {
    const pattern = errorSubject();
    const found = await browseNewestFirst(store.jsm, stream, {
      limit: 500,
      subject: pattern,
      since: middle,
      accept: () => true,
    });
    expect(seqs(found.items)).toEqual(newestErrors(500, (r) => r.seq > records[1499]!.seq));
    expect(found.exhausted).toBe(true);
  });
});
