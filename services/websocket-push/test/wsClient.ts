// A WebSocket test client (Node's global WebSocket) that queues server messages so a test
// can await the next one matching a shape.
export interface TestSocket {
  readonly messages: Array<Record<string, unknown>>;
  next(
    predicate?: (m: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  send(value: unknown): void;
  sendRaw(text: string): void;
  close(): Promise<void>;
  readonly closed: Promise<{ code: number }>;
}

export async function connectSocket(url: string): Promise<TestSocket> {
  const socket = new WebSocket(url);
  const messages: Array<Record<string, unknown>> = [];
  let cursor = 0;
  const waiters = new Set<() => void>();
  socket.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    socket.addEventListener('close', (event) => {
      resolve({ code: event.code });
      for (const wake of waiters) wake();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), {
      once: true,
    });
  });
  return {
    messages,
    closed,
    async next(predicate = () => true, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < messages.length) {
          const message = messages[cursor++]!;
          if (predicate(message)) return message;
        }
        const remaining = until - Date.now();
        if (remaining <= 0) throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, remaining);
          waiters.add(wake);
        });
      }
    },
    send: (value) => socket.send(JSON.stringify(value)),
    sendRaw: (text) => socket.send(text),
    async close() {
      socket.close();
      await closed;
    },
  };
}
