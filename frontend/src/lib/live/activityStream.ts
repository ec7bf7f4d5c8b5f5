// One WebSocket to the read API's /ws, kept alive: reconnects with backoff and, after
// every (re)connect, subscribes from the last seq it has seen so the feed resumes
// without gaps. Browser globals (WebSocket, timers, clock) are injected so the state
// machine is tested without a network.
import type { ActivityItem } from '../api/contract.ts';
import { ContractError, parseServerMessage, subscribeMessage } from '../api/contract.ts';
import { reconnectDelay, type BackoffPolicy, defaultBackoff } from './backoff.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ActivityStreamEvents {
  status(status: ConnectionStatus): void;
  verification(item: ActivityItem): void;
  /** Subscribed again after a (re)connect; anything fetched over HTTP may be stale. */
  resumed(info: { reconnect: boolean }): void;
  /** The server's seq went backwards (its history was reset): what is shown no longer lines up. */
  resync(): void;
  serverError(message: string): void;
  /** A read model changed (topics 'models', 'bot-status', 'commands', 'model:<name>'). */
  modelChanged?(model: string): void;
  /** A frame of another topic a page subscribed to. */
  topicMessage?(name: string, body: Record<string, unknown>): void;
}

/** The slice of the browser WebSocket this client uses. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketHandlers {
  /** A text frame arrived. */
  message(text: string): void;
  /** The socket closed, whether it had opened or not. */
  close(): void;
}

export interface ActivityStreamOptions {
  url: string;
  /** Opens a socket and wires its events to the handlers. */
  createSocket: (url: string, handlers: SocketHandlers) => SocketLike;
  events: ActivityStreamEvents;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random?: () => number;
  isOnline?: () => boolean;
  backoff?: BackoffPolicy;
  /** Consecutive failed attempts after which the status reads "offline" rather than "reconnecting". */
  offlineAfter?: number;
  /** Topics besides 'activity' to subscribe to after every (re)connect. */
  topics?: () => readonly string[];
}

export class ActivityStream {
  readonly #options: ActivityStreamOptions;
  #socket: SocketLike | null = null;
  #retryTimer: unknown = null;
  #failedAttempts = 0;
  #everSubscribed = false;
  #lastSeq: number | null = null;
  #stopped = true;
  #status: ConnectionStatus = 'connecting';

  constructor(options: ActivityStreamOptions) {
    this.#options = options;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  get lastSeq(): number | null {
    return this.#lastSeq;
  }

  /** Records a seq already shown (e.g. from the HTTP snapshot) so the subscription starts after it. */
  noteSeq(seq: number): void {
    if (this.#lastSeq === null || seq > this.#lastSeq) this.#lastSeq = seq;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelRetry();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000, 'page closed');
  }

  /** Subscribes (or unsubscribes) topics on the open socket; after a reconnect `topics()` decides. */
  changeTopics(type: 'subscribe' | 'unsubscribe', topics: readonly string[]): void {
    if (topics.length === 0 || this.#socket === null || this.#status !== 'live') return;
    this.#socket.send(JSON.stringify({ type, topics }));
  }

  /** Skips the backoff wait (the browser came back online, or the tab became visible). */
  retryNow(): void {
    if (this.#stopped || this.#socket) return;
    this.#cancelRetry();
    this.#connect();
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#options.events.status(status);
  }

  #cancelRetry(): void {
    if (this.#retryTimer !== null) {
      this.#options.clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
    }
  }

  #connect(): void {
    // Events from a socket that is no longer current (stopped, replaced) are ignored.
    let socket: SocketLike | null = null;
    try {
      socket = this.#options.createSocket(this.#options.url, {
        message: (text) => {
          if (socket !== null && this.#socket === socket) this.#receive(socket, text);
        },
        close: () => {
          if (socket === null || this.#socket !== socket) return;
          this.#socket = null;
          if (!this.#stopped) this.#scheduleRetry();
        },
      });
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
  }

  #scheduleRetry(): void {
    this.#failedAttempts += 1;
    const online = this.#options.isOnline?.() ?? true;
    const offlineAfter = this.#options.offlineAfter ?? 5;
    this.#setStatus(!online || this.#failedAttempts >= offlineAfter ? 'offline' : 'reconnecting');
    const delay = reconnectDelay(
      this.#failedAttempts,
      (this.#options.random ?? Math.random)(),
      this.#options.backoff ?? defaultBackoff,
    );
    this.#retryTimer = this.#options.setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#stopped) this.#connect();
    }, delay);
  }

  #receive(socket: SocketLike, text: string): void {
    let message;
    try {
      message = parseServerMessage(text);
    } catch (error) {
      if (error instanceof ContractError) {
        this.#options.events.serverError(`Ignored a malformed live update: ${error.message}`);
        return;
      }
      throw error;
    }
    if (message === null) return;
    switch (message.type) {
      case 'hello':
        this.#subscribe(socket, message.seq);
        return;
      case 'verification':
        this.noteSeq(message.seq);
        this.#options.events.verification(message.item);
        return;
      case 'error':
        this.#options.events.serverError(message.message);
        return;
      case 'model_changed':
        this.#options.events.modelChanged?.(message.model);
        return;
      case 'resync':
        // Too far behind to replay: what is shown is stale, pages reload over HTTP.
        this.#lastSeq = message.seq;
        this.#options.events.resync();
        return;
      case 'topic':
        this.#options.events.topicMessage?.(message.name, message.body);
        return;
      default: {
        const unexpected: never = message;
        return unexpected;
      }
    }
  }

  #subscribe(socket: SocketLike, serverSeq: number): void {
    const last = this.#lastSeq;
    if (last !== null && serverSeq < last) {
      // The server's numbering restarted below what we have shown: start over from its present.
      this.#lastSeq = serverSeq;
      this.#options.events.resync();
    } else if (last === null) {
      this.#lastSeq = serverSeq;
    }
    socket.send(
      JSON.stringify(subscribeMessage(this.#lastSeq ?? serverSeq, this.#options.topics?.() ?? [])),
    );
    const reconnect = this.#everSubscribed;
    this.#everSubscribed = true;
    this.#failedAttempts = 0;
    this.#setStatus('live');
    this.#options.events.resumed({ reconnect });
  }
}
