import { describe, expect, it } from 'vitest';
import type { ActivityItem } from '../api/contract.ts';
import { activityItem } from '../testing/fixtures.ts';
import {
  ActivityStream,
  type ConnectionStatus,
  type SocketHandlers,
  type SocketLike,
} from './activityStream.ts';

class FakeSocket implements SocketLike {
  sent: unknown[] = [];
  closed = false;
  readonly handlers: SocketHandlers;
  constructor(handlers: SocketHandlers) {
    this.handlers = handlers;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  serverSends(message: unknown) {
    this.handlers.message(JSON.stringify(message));
  }
  drop() {
    this.handlers.close();
  }
}

function harness(
  options: { online?: () => boolean; offlineAfter?: number; topics?: () => string[] } = {},
) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const statuses: ConnectionStatus[] = [];
  const received: ActivityItem[] = [];
  const resumed: boolean[] = [];
  let resyncs = 0;
  const models: string[] = [];
  const topicFrames: [string, unknown][] = [];
  const stream = new ActivityStream({
    url: 'ws://dashboard.test/ws',
    createSocket: (_url, handlers) => {
      const socket = new FakeSocket(handlers);
      sockets.push(socket);
      return socket;
    },
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => {},
    random: () => 0,
    isOnline: options.online,
    offlineAfter: options.offlineAfter,
    topics: options.topics,
    events: {
      status: (s) => statuses.push(s),
      verification: (item) => received.push(item),
      resumed: ({ reconnect }) => resumed.push(reconnect),
      resync: () => resyncs++,
      serverError: () => {},
      modelChanged: (model) => models.push(model),
      topicMessage: (name, body) => topicFrames.push([name, body]),
    },
  });
  const socket = () => sockets.at(-1)!;
  const fireRetry = () => timers.shift()!.fn();
  return {
    stream,
    sockets,
    socket,
    timers,
    fireRetry,
    statuses,
    received,
    resumed,
    resyncs: () => resyncs,
    models,
    topicFrames,
  };
}

describe('ActivityStream topics', () => {
  it('subscribes the topics pages want after every (re)connect', () => {
    const topics = ['commands'];
    const h = harness({ topics: () => topics });
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 1 });
    expect(h.socket().sent).toEqual([
      { type: 'subscribe', topics: ['activity', 'commands'], since_seq: 1 },
    ]);
    topics.push('logs');
    h.socket().drop();
    h.fireRetry();
    h.socket().serverSends({ type: 'hello', seq: 1 });
    expect(h.socket().sent).toEqual([
      { type: 'subscribe', topics: ['activity', 'commands', 'logs'], since_seq: 1 },
    ]);
  });

  it('adds and drops topics on the live socket, and not before it is live', () => {
    const h = harness();
    h.stream.start();
    h.stream.changeTopics('subscribe', ['bot-status']);
    expect(h.socket().sent).toEqual([]);
    h.socket().serverSends({ type: 'hello', seq: 1 });
    h.stream.changeTopics('subscribe', ['bot-status']);
    h.stream.changeTopics('unsubscribe', ['bot-status']);
    expect(h.socket().sent.slice(1)).toEqual([
      { type: 'subscribe', topics: ['bot-status'] },
      { type: 'unsubscribe', topics: ['bot-status'] },
    ]);
  });

  it('hands model changes and other topic frames to the page, and reloads on a server resync', () => {
    const h = harness();
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 1 });
    h.socket().serverSends({ type: 'model_changed', model: 'commands', seq: 2 });
    h.socket().serverSends({ type: 'log', line: { msg: 'started' } });
    h.socket().serverSends({ type: 'resync', seq: 5000, reason: 'too far behind' });
    expect(h.models).toEqual(['commands']);
    expect(h.topicFrames).toEqual([['log', { type: 'log', line: { msg: 'started' } }]]);
    expect(h.resyncs()).toBe(1);
    expect(h.stream.lastSeq).toBe(5000);
  });
});

describe('ActivityStream', () => {
  it('subscribes after the newest seq the page already shows', () => {
    const h = harness();
    h.stream.noteSeq(40);
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 45 });
    expect(h.socket().sent).toEqual([{ type: 'subscribe', topics: ['activity'], since_seq: 40 }]);
    expect(h.statuses).toEqual(['live']);
  });

  it('starts from the server present when nothing was shown yet', () => {
    const h = harness();
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 45 });
    expect(h.socket().sent).toEqual([{ type: 'subscribe', topics: ['activity'], since_seq: 45 }]);
  });

  it('resumes from the last verification seen after a drop, backing off between attempts', () => {
    const h = harness();
    h.stream.noteSeq(10);
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 10 });
    h.socket().serverSends({ type: 'verification', seq: 11, item: activityItem(11) });
    h.socket().serverSends({ type: 'verification', seq: 12, item: activityItem(12) });
    expect(h.received.map((i) => i.seq)).toEqual([11, 12]);

    h.socket().drop();
    expect(h.statuses.at(-1)).toBe('reconnecting');
    h.fireRetry();
    h.socket().drop();
    h.fireRetry();
    expect(h.timers).toHaveLength(0);
    expect(h.sockets).toHaveLength(3);

    h.socket().serverSends({ type: 'hello', seq: 15 });
    expect(h.socket().sent).toEqual([{ type: 'subscribe', topics: ['activity'], since_seq: 12 }]);
    expect(h.statuses.at(-1)).toBe('live');
    expect(h.resumed).toEqual([false, true]);
  });

  it('waits longer after each consecutive failure and starts over once live', () => {
    const h = harness();
    h.stream.start();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      h.socket().drop();
      delays.push(h.timers[0]!.ms);
      h.fireRetry();
    }
    expect(delays).toEqual([250, 500, 1_000]);
    h.socket().serverSends({ type: 'hello', seq: 1 });
    h.socket().drop();
    expect(h.timers[0]!.ms).toBe(250);
  });

  it('reads offline after repeated failures, or at once when the browser is offline', () => {
    const failing = harness({ offlineAfter: 2 });
    failing.stream.start();
    failing.socket().drop();
    expect(failing.statuses.at(-1)).toBe('reconnecting');
    failing.fireRetry();
    failing.socket().drop();
    expect(failing.statuses.at(-1)).toBe('offline');

    const disconnected = harness({ online: () => false });
    disconnected.stream.start();
    disconnected.socket().drop();
    expect(disconnected.statuses).toEqual(['offline']);
  });

  it('reconnects at once when asked (browser back online) instead of waiting', () => {
    const h = harness();
    h.stream.start();
    h.socket().drop();
    h.stream.retryNow();
    expect(h.sockets).toHaveLength(2);
  });

  it('signals a resync when the server seq went backwards', () => {
    const h = harness();
    h.stream.noteSeq(500);
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 3 });
    expect(h.resyncs()).toBe(1);
    expect(h.socket().sent).toEqual([{ type: 'subscribe', topics: ['activity'], since_seq: 3 }]);
  });

  it('stops for good: closes the socket and never reconnects', () => {
    const h = harness();
    h.stream.start();
    const socket = h.socket();
    h.stream.stop();
    socket.drop();
    expect(socket.closed).toBe(true);
    expect(h.timers).toHaveLength(0);
    expect(h.sockets).toHaveLength(1);
  });

  it('ignores a malformed frame and keeps going', () => {
    const h = harness();
    h.stream.start();
    h.socket().serverSends({ type: 'hello', seq: 1 });
    h.socket().serverSends({ type: 'verification', seq: 2, item: { seq: 2 } });
    h.socket().serverSends({ type: 'verification', seq: 3, item: activityItem(3) });
    expect(h.received.map((i) => i.seq)).toEqual([3]);
  });
});
