// WebSocket sessions: the hello, subscriptions, replay-then-live handover, and fan-out
// that never waits on a client. A client whose unsent bytes exceed the bound is dropped
// (it reconnects and replays with since_seq), so one slow dashboard cannot hold up others.
import type { Meter } from '@opentelemetry/api';
import type { Logger } from '@nezuko/kit';
import type { WebSocket } from 'ws';
import type { LiveFeed, VerificationPush } from './feed.ts';
import type { LogBatch, LogTail } from './logTail.ts';
import type { ModelNotice, ModelNotices } from './notices.ts';
import { parseClientMessage, type ServerMessage, type Topic } from './protocol.ts';

export interface HubOptions {
  /** Unsent bytes after which a client is dropped. */
  readonly maxBufferedBytes: number;
  /** Most decisions one subscribe may replay; beyond it the client is told to resync. */
  readonly replayLimit: number;
  /** Ping interval; a client that missed the previous pong is terminated. */
  readonly heartbeatMs: number;
}

export interface Hub {
  accept(socket: WebSocket): void;
  clients(): number;
  /** Closes every session (server shutdown: 1001 "going away"). */
  close(): void;
}

interface Session {
  readonly socket: WebSocket;
  readonly topics: Set<Topic>;
  /** Live decisions that arrived while this session was replaying. */
  backlog: VerificationPush[] | null;
  lastSentSeq: number;
  alive: boolean;
}

export function createHub(deps: {
  feed: LiveFeed;
  notices?: ModelNotices;
  logs?: LogTail;
  logger: Logger;
  meter?: Meter;
  options: HubOptions;
}): Hub {
  const { feed, options } = deps;
  const log = deps.logger.child({ component: 'ws-hub' });
  const sessions = new Set<Session>();
  const sent = deps.meter?.createCounter('nezuko_ws_messages_sent_total', {
    description: 'WebSocket messages sent, by type',
  });
  const dropped = deps.meter?.createCounter('nezuko_ws_clients_dropped_total', {
    description: 'WebSocket clients dropped by the server, by reason',
  });
  deps.meter
    ?.createObservableGauge('nezuko_ws_clients', { description: 'Connected WebSocket clients' })
    .addCallback((result) => result.observe(sessions.size));

  const send = (session: Session, message: ServerMessage): void => {
    const { socket } = session;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      dropped?.add(1, { reason: 'slow' });
      log.warn({ buffered: socket.bufferedAmount }, 'dropping a slow WebSocket client');
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
    sent?.add(1, { type: message.type });
  };

  const pushVerification = (session: Session, push: VerificationPush) => {
    if (push.seq <= session.lastSentSeq) return;
    session.lastSentSeq = push.seq;
    send(session, { type: 'verification', seq: push.seq, item: push.item });
  };

  const unsubscribeFeed = feed.onVerification((push) => {
    const groupTopic: Topic = `group:${push.item.group_id}`;
    for (const session of sessions) {
      if (!session.topics.has('activity')) {
        // A group's live decisions only (no replay: the activity topic is the resumable one).
        if (session.topics.has(groupTopic))
          send(session, { type: 'verification', seq: push.seq, item: push.item });
        continue;
      }
      if (session.backlog === null) pushVerification(session, push);
      else if (session.backlog.length < options.replayLimit) session.backlog.push(push);
      else {
        dropped?.add(1, { reason: 'backlog' });
        session.socket.terminate();
      }
    }
  });
  // Notices are already coalesced per model (bursts become one message per interval).
  const forwardNotice = (notice: ModelNotice) => {
    const wants = (t: Set<Topic>) =>
      t.has('models') ||
      t.has(`model:${notice.model}`) ||
      (notice.model === 'bots' && t.has('bot-status')) ||
      (notice.model === 'commands' && t.has('commands'));
    for (const session of sessions) {
      if (wants(session.topics))
        send(session, { type: 'model_changed', model: notice.model, seq: notice.seq });
    }
  };
  const unsubscribeNotices = deps.notices?.onCoalesced(forwardNotice);
  // Log batches are already bounded per interval (see logTail.ts).
  const forwardLogs = (batch: LogBatch) => {
    for (const session of sessions) {
      if (!session.topics.has('logs')) continue;
      if (batch.skipped > 0) send(session, { type: 'log_skipped', count: batch.skipped });
      for (const item of batch.items) send(session, { type: 'log', item });
    }
  };
  const unsubscribeLogs = deps.logs?.onBatch(forwardLogs);

  // Replays (since_seq, live position], then hands over to live without gap or repeat:
  // live decisions arriving meanwhile wait in the backlog and are sent after the replay.
  const subscribe = async (
    session: Session,
    topics: readonly Topic[],
    sinceSeq: number | undefined,
  ) => {
    const activity = topics.includes('activity') && !session.topics.has('activity');
    for (const topic of topics) session.topics.add(topic);
    const until = feed.latestSeq();
    if (activity) session.lastSentSeq = sinceSeq ?? until;
    if (activity && sinceSeq !== undefined && sinceSeq < until) {
      session.backlog = [];
      try {
        const result = await feed.replay(
          sinceSeq,
          until,
          (push) => pushVerification(session, push),
          options.replayLimit,
        );
        if (result.outcome === 'too_far_behind') {
          session.lastSentSeq = until;
          send(session, {
            type: 'resync',
            seq: until,
            reason: `more than ${options.replayLimit} decisions missed`,
          });
        }
      } catch (error) {
        log.warn({ err: error }, 'replay failed');
        session.lastSentSeq = until;
        send(session, { type: 'resync', seq: until, reason: 'replay unavailable' });
      }
      const backlog = session.backlog;
      session.backlog = null;
      for (const push of backlog) pushVerification(session, push);
    }
    send(session, {
      type: 'subscribed',
      topics: [...session.topics],
      seq: Math.max(session.lastSentSeq, until),
    });
  };

  const onMessage = async (session: Session, data: string) => {
    const parsed = parseClientMessage(data);
    if (!parsed.ok) return send(session, { type: 'error', message: parsed.error });
    const { message } = parsed;
    switch (message.type) {
      case 'subscribe':
        if (session.backlog !== null)
          return send(session, { type: 'error', message: 'a replay is already running' });
        return subscribe(session, message.topics, message.since_seq);
      case 'unsubscribe':
        for (const topic of message.topics) session.topics.delete(topic);
        return;
      case 'ping':
        return send(session, { type: 'pong' });
      default:
        return assertNever(message);
    }
  };

  const heartbeat = setInterval(() => {
    for (const session of sessions) {
      if (!session.alive) {
        dropped?.add(1, { reason: 'unresponsive' });
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

  return {
    accept(socket) {
      const session: Session = {
        socket,
        topics: new Set(),
        backlog: null,
        lastSentSeq: 0,
        alive: true,
      };
      sessions.add(session);
      socket.on('pong', () => (session.alive = true));
      socket.on('close', () => sessions.delete(session));
      socket.on('error', (error) => log.debug({ err: error }, 'WebSocket error'));
      socket.on('message', (data, isBinary) => {
        if (isBinary)
          return send(session, { type: 'error', message: 'binary frames are not supported' });
        const bytes = Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.isBuffer(data)
            ? data
            : Buffer.from(data);
        const text = bytes.toString('utf8');
        onMessage(session, text).catch((error: unknown) => {
          log.error({ err: error }, 'WebSocket message handling failed');
          send(session, { type: 'error', message: 'internal error' });
        });
      });
      send(session, { type: 'hello', seq: feed.latestSeq() });
    },
    clients: () => sessions.size,
    close() {
      clearInterval(heartbeat);
      unsubscribeFeed();
      unsubscribeNotices?.();
      unsubscribeLogs?.();
      for (const session of sessions) session.socket.close(1001, 'server shutting down');
    },
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled client message ${JSON.stringify(value)}`);
}
