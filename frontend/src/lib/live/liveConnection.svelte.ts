// The app-wide live connection: the layout owns one (its status drives the header
// indicator), pages listen to what it receives. Created per render, so nothing is shared
// between server requests; it only opens a socket in the browser.
import { createContext } from 'svelte';
import type { ActivityItem } from '../api/contract.ts';
import { ActivityStream, type ConnectionStatus } from './activityStream.ts';

export interface LiveListener {
  verification?(item: ActivityItem): void;
  resumed?(info: { reconnect: boolean }): void;
  resync?(): void;
  /** A read model changed: refetch what the page shows from it. Needs a watched topic. */
  modelChanged?(model: string): void;
  /** A frame of a watched topic other than the feed (e.g. type 'log' of topic 'logs'). */
  topicMessage?(name: string, body: Record<string, unknown>): void;
}

export class LiveConnection {
  status: ConnectionStatus = $state('connecting');
  /** The last problem the server reported over the socket, for the indicator's tooltip. */
  serverMessage: string | null = $state(null);

  #listeners: readonly LiveListener[] = [];
  #stream: ActivityStream | null = null;
  #seenSeq: number | null = null;
  /** Topics pages asked for, with how many pages want each (not reactive: nothing renders it). */
  #topics: Record<string, number> = {};

  /** Records the newest seq a page already shows, so the subscription resumes after it. */
  noteSeq(seq: number): void {
    if (this.#seenSeq === null || seq > this.#seenSeq) this.#seenSeq = seq;
    this.#stream?.noteSeq(seq);
  }

  listen(listener: LiveListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Subscribes to `topics` (e.g. 'commands', 'bot-status', 'model:groups', 'logs') while
   * the returned function is not called, and sends their frames to `listener`. Topics
   * survive reconnects; a topic several pages want is subscribed once.
   */
  watch(topics: readonly string[], listener: LiveListener): () => void {
    const added = topics.filter((t) => {
      const count = this.#topics[t] ?? 0;
      this.#topics[t] = count + 1;
      return count === 0;
    });
    this.#stream?.changeTopics('subscribe', added);
    const stopListening = this.listen(listener);
    return () => {
      stopListening();
      const removed = topics.filter((t) => {
        const count = (this.#topics[t] ?? 1) - 1;
        if (count > 0) this.#topics[t] = count;
        else delete this.#topics[t];
        return count <= 0;
      });
      this.#stream?.changeTopics('unsubscribe', removed);
    };
  }

  /** Opens the socket (browser only); returns the teardown. */
  connect(): () => void {
    const { protocol, host } = window.location;
    const stream = new ActivityStream({
      url: `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/ws`,
      createSocket: (href, on) => {
        const socket = new WebSocket(href);
        socket.onmessage = (event) => {
          if (typeof event.data === 'string') on.message(event.data);
        };
        socket.onclose = () => on.close();
        return socket;
      },
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
      isOnline: () => navigator.onLine,
      topics: () => Object.keys(this.#topics),
      events: {
        status: (status) => {
          this.status = status;
          if (status === 'live') this.serverMessage = null;
        },
        verification: (item) => this.#listeners.forEach((l) => l.verification?.(item)),
        resumed: (info) => this.#listeners.forEach((l) => l.resumed?.(info)),
        resync: () => this.#listeners.forEach((l) => l.resync?.()),
        serverError: (message) => {
          this.serverMessage = message;
        },
        modelChanged: (model) => this.#listeners.forEach((l) => l.modelChanged?.(model)),
        topicMessage: (name, body) => this.#listeners.forEach((l) => l.topicMessage?.(name, body)),
      },
    });
    if (this.#seenSeq !== null) stream.noteSeq(this.#seenSeq);
    this.#stream = stream;

    const retry = () => stream.retryNow();
    const onVisible = () => {
      if (document.visibilityState === 'visible') stream.retryNow();
    };
    window.addEventListener('online', retry);
    document.addEventListener('visibilitychange', onVisible);
    stream.start();

    return () => {
      window.removeEventListener('online', retry);
      document.removeEventListener('visibilitychange', onVisible);
      stream.stop();
      this.#stream = null;
    };
  }
}

const [getLiveConnection, setLiveConnection] = createContext<LiveConnection>();
export { getLiveConnection, setLiveConnection };
