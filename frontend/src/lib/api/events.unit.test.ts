import { describe, expect, it } from 'vitest';
import {
  eventFilterProblems,
  eventFiltersFrom,
  eventsPath,
  mergeNewestFirst,
  parseEvents,
  payloadText,
  type EventItem,
} from './events.ts';

const event = (seq: number, extra: Partial<EventItem> = {}): EventItem => ({
  seq,
  subject: `nz.evt.group.-100${seq}.channel_linked`,
  time: '2026-11-22T05:00:00.000Z',
  type: 'group.channel_linked',
  id: `e${seq}`,
  occurred_at: '2026-11-22T05:00:00.000Z',
  correlation_id: null,
  data: { groupId: `-100${seq}` },
  undecodable: null,
  ...extra,
});

describe('events', () => {
  it('parses decoded and undecodable events', () => {
    const body = {
      items: [
        { ...event(2) },
        {
          seq: 1,
          subject: 'nz.evt.x.1.y',
          time: '2026-11-22T05:00:00.000Z',
          type: null,
          undecodable: 'bad',
        },
      ],
    };
    const [decoded, broken] = parseEvents(body);
    expect(decoded).toEqual(event(2));
    expect(broken).toMatchObject({ seq: 1, type: null, data: undefined, undecodable: 'bad' });
    expect(payloadText(broken!)).toBe('Could not decode: bad');
    expect(payloadText(decoded!)).toBe('{\n  "groupId": "-1002"\n}');
  });

  it('validates filters like the API and builds its path', () => {
    const filters = eventFiltersFrom(
      new URLSearchParams('type=verify.decided&subject=nz.evt.verify.>'),
    );
    expect(eventFilterProblems(filters)).toEqual({});
    expect(eventsPath(filters, 20)).toBe(
      '/api/v1/events?subject=nz.evt.verify.%3E&type=verify.decided&limit=20',
    );
    expect(Object.keys(eventFilterProblems({ subject: 'a b', type: 'Verify' }))).toEqual([
      'subject',
      'type',
    ]);
  });

  it('merges newest first without duplicating a seq, capped', () => {
    const merged = mergeNewestFirst([event(3), event(2)], [event(5), event(4), event(3)], 4);
    expect(merged.map((e) => e.seq)).toEqual([5, 4, 3, 2]);
    expect(mergeNewestFirst(merged, [event(6)], 4).map((e) => e.seq)).toEqual([6, 5, 4, 3]);
  });
});
