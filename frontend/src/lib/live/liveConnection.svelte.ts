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
}

export class LiveConnection {
  status: ConnectionStatus = $state('connecting');
  /** The last problem the server reported over the socket, for the indicator's tooltip. */
  serverMessage: string | null = $state(null);

  #listeners: readonly LiveListener[] = [];
  #stream: ActivityStream | null = null;
  #seenSeq: number | null = null;

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
