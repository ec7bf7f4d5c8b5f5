// The WebSocket hub's fan-out and handover rules, with in-memory sockets and a feed the
// test drives: a slow client is dropped without holding up others, and a replay hands
// over to live decisions with no gap and no repeat.
import { EventEmitter } from 'node:events';
import { createLogger } from '@nezuko/kit';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import type { ActivityItem } from '../src/domain/activity.ts';
import type { LiveFeed, ReplayResult, VerificationPush } from '../src/live/feed.ts';
import { createHub } from '../src/live/hub.ts';

class MemorySocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  terminated = false;
  readonly sent: Array<Record<string, unknown>> = [];
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  close() {
    this.terminate();
  }
  ping() {}
  receive(message: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
  seqs() {
    return this.sent.filter((m) => m.type === 'verification').map((m) => m.seq);
  }
}

const item = (seq: number) => ({ seq, item: { seq } as unknown as ActivityItem });

function drivenFeed(latest: number) {
  const listeners = new Set<(push: VerificationPush) => void>();
  let release: (() => void) | undefined;
  let replayRequest:
    { afterSeq: number; untilSeq: number; send: (p: VerificationPush) => void } | undefined;
  const feed: LiveFeed = {
    latestSeq: () => latest,
    attached: () => true,
    onVerification(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    replay(afterSeq, untilSeq, send) {
      replayRequest = { afterSeq, untilSeq, send };
      return new Promise<ReplayResult>((resolve) => {
        release = () => resolve({ outcome: 'complete', sent: untilSeq - afterSeq });
      });
    },
    stop: () => Promise.resolve(),
  };
  return {
    feed,
    live(seq: number) {
      latest = Math.max(latest, seq);
      for (const listener of listeners) listener(item(seq));
    },
    replayed: () => replayRequest,
    finishReplay: () => release?.(),
  };
}

const logger = createLogger('hub-test', 'silent');
const options = { maxBufferedBytes: 1000, replayLimit: 3, heartbeatMs: 60_000 };
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('WebSocket hub', () => {
  it('drops a client whose unsent bytes exceed the bound while others keep receiving', async () => {
    const driven = drivenFeed(5);
    const hub = createHub({ feed: driven.feed, logger, options });
    const fast = new MemorySocket();
    const slow = new MemorySocket();
    hub.accept(fast as unknown as WebSocket);
    hub.accept(slow as unknown as WebSocket);
    fast.receive({ type: 'subscribe', topics: ['activity'] });
    slow.receive({ type: 'subscribe', topics: ['activity'] });
    await flush();
    slow.bufferedAmount = 5000;
    driven.live(6);
    driven.live(7);
    expect(slow.terminated).toBe(true);
    expect(fast.seqs()).toEqual([6, 7]);
    expect(hub.clients()).toBe(1);
    hub.close();
  });

  it('replays, then sends the live decisions that arrived meanwhile, without gap or repeat', async () => {
    const driven = drivenFeed(13);
    const hub = createHub({ feed: driven.feed, logger, options });
    const socket = new MemorySocket();
    hub.accept(socket as unknown as WebSocket);
    expect(socket.sent[0]).toEqual({ type: 'hello', seq: 13 });
    socket.receive({ type: 'subscribe', topics: ['activity'], since_seq: 10 });
    await flush();
    expect(driven.replayed()).toMatchObject({ afterSeq: 10, untilSeq: 13 });
    driven.live(14); // arrives mid-replay: must wait
    const { send } = driven.replayed()!;
    send(item(11));
    send(item(12));
    expect(socket.seqs()).toEqual([11, 12]);
    send(item(13));
    driven.live(15);
    driven.finishReplay();
    await flush();
    driven.live(15); // a repeat from the feed is not sent twice
    driven.live(16);
    expect(socket.seqs()).toEqual([11, 12, 13, 14, 15, 16]);
    expect(socket.sent.find((m) => m.type === 'subscribed')).toEqual({
      type: 'subscribed',
      topics: ['activity'],
      seq: 15,
    });
    hub.close();
  });

  it('drops a client whose backlog overflows during a replay', async () => {
    const driven = drivenFeed(100);
    const hub = createHub({ feed: driven.feed, logger, options });
    const socket = new MemorySocket();
    hub.accept(socket as unknown as WebSocket);
    socket.receive({ type: 'subscribe', topics: ['activity'], since_seq: 98 });
    await flush();
    for (const seq of [101, 102, 103, 104]) driven.live(seq);
    expect(socket.terminated).toBe(true);
    hub.close();
  });

  it('refuses a second subscribe while a replay runs', async () => {
    const driven = drivenFeed(20);
    const hub = createHub({ feed: driven.feed, logger, options });
    const socket = new MemorySocket();
    hub.accept(socket as unknown as WebSocket);
    socket.receive({ type: 'subscribe', topics: ['activity'], since_seq: 18 });
    await flush();
    socket.receive({ type: 'subscribe', topics: ['activity'], since_seq: 0 });
    await flush();
    expect(socket.sent.at(-1)).toEqual({ type: 'error', message: 'a replay is already running' });
    hub.close();
  });

  it('terminates a client that stops answering pings', async () => {
    const driven = drivenFeed(0);
    const hub = createHub({ feed: driven.feed, logger, options: { ...options, heartbeatMs: 20 } });
    const silent = new MemorySocket();
    const alive = new MemorySocket();
    alive.ping = () => void setImmediate(() => alive.emit('pong'));
    hub.accept(silent as unknown as WebSocket);
    hub.accept(alive as unknown as WebSocket);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(silent.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    hub.close();
  });
});

describe('WebSocket topics', () => {
  it("sends a group's live decisions to its topic, and model changes by read model", async () => {
    const listeners = new Set<(push: VerificationPush) => void>();
    const feed: LiveFeed = {
      latestSeq: () => 0,
      attached: () => true,
      onVerification(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      replay: () => Promise.resolve({ outcome: 'complete', sent: 0 }),
      stop: () => Promise.resolve(),
    };
    const noticeListeners = new Set<(n: { model: string; seq: number }) => void>();
    const notices = {
      onEach: () => () => undefined,
      onCoalesced(listener: (n: { model: string; seq: number }) => void) {
        noticeListeners.add(listener);
        return () => void noticeListeners.delete(listener);
      },
      stop: () => undefined,
    };
    const hub = createHub({ feed, notices, logger, options });
    const group = new MemorySocket();
    const bots = new MemorySocket();
    hub.accept(group as unknown as WebSocket);
    hub.accept(bots as unknown as WebSocket);
    group.receive({ type: 'subscribe', topics: ['group:-1001', 'model:groups'] });
    bots.receive({ type: 'subscribe', topics: ['bot-status'] });
    bots.receive({ type: 'subscribe', topics: ['group:abc'] });
    await flush();
    const push = (seq: number, groupId: string) => {
      for (const l of listeners)
        l({ seq, item: { seq, group_id: groupId } as unknown as ActivityItem });
    };
    push(1, '-1001');
    push(2, '-1002');
    push(3, '-1001');
    for (const l of noticeListeners) {
      l({ model: 'groups', seq: 3 });
      l({ model: 'bots', seq: 3 });
    }
    expect(group.seqs()).toEqual([1, 3]);
    expect(group.sent.filter((m) => m.type === 'model_changed')).toEqual([
      { type: 'model_changed', model: 'groups', seq: 3 },
    ]);
    expect(bots.seqs()).toEqual([]);
    expect(bots.sent.filter((m) => m.type === 'model_changed')).toEqual([
      { type: 'model_changed', model: 'bots', seq: 3 },
    ]);
    expect(String(bots.sent.find((m) => m.type === 'error')?.message)).toMatch(/topic/);
    hub.close();
  });
});
