// A small reverse proxy over node:http: streams request and response bodies, drops
// hop-by-hop headers, adds X-Forwarded-*, tunnels WebSocket upgrades, and answers 502 JSON
// when a backend is down. Owns the open tunnels so shutdown can close them.
import http from 'node:http';
import type { Duplex } from 'node:stream';

export interface Backend {
  /** Base URL, e.g. http://127.0.0.1:3002 */
  url: URL;
  /** Shown in 502 messages: "read API", "command API". */
  name: string;
  /** Told why a request to this backend failed (the browser only sees a 502). */
  onError?: (error: Error) => void;
}

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Copies end-to-end headers: hop-by-hop ones, and any the Connection header names, are dropped. */
export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    (firstValue(headers.connection) ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Headers for the backend: end-to-end ones plus where the request really came from. */
export function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers = endToEndHeaders(req.headers);
  const client = req.socket.remoteAddress;
  const prior = firstValue(req.headers['x-forwarded-for']);
  if (client) headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  const encrypted = 'encrypted' in req.socket && req.socket.encrypted === true;
  headers['x-forwarded-proto'] =
    firstValue(req.headers['x-forwarded-proto']) ?? (encrypted ? 'https' : 'http');
  const host = firstValue(req.headers.host);
  if (host && !headers['x-forwarded-host']) headers['x-forwarded-host'] = host;
  delete headers.host;
  return headers;
}

function unavailableBody(backend: Backend): string {
  return JSON.stringify({ error: 'bad_gateway', message: `${backend.name} unavailable` });
}

function requestOptions(backend: Backend, method: string, target: string): http.RequestOptions {
  return {
    protocol: backend.url.protocol,
    hostname: backend.url.hostname,
    port: backend.url.port,
    method,
    path: target,
  };
}

/** Proxies one HTTP request to `backend`, streaming both ways. */
export function proxyHttp(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  backend: Backend,
  target: string,
): void {
  const upstream = http.request({
    ...requestOptions(backend, req.method ?? 'GET', target),
    headers: forwardedHeaders(req),
    agent,
  });

  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.headers));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });

  let abandoned = false;
  upstream.on('error', (error) => {
    if (abandoned) return;
    backend.onError?.(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = unavailableBody(backend);
    res.writeHead(502, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    res.end(body);
  });

  // The browser went away: stop the backend work too (the resulting error is ours, not its).
  res.on('close', () => {
    if (res.writableFinished) return;
    abandoned = true;
    upstream.destroy();
  });

  req.pipe(upstream);
}

function statusLine(code: number, message: string | undefined): string {
  return `HTTP/1.1 ${code} ${message ?? http.STATUS_CODES[code] ?? ''}\r\n`;
}

/** Header lines from Node's flat [name, value, name, value, ...] list, minus skipped names. */
function rawHeaderLines(
  rawHeaders: string[],
  skip: (name: string) => boolean = () => false,
): string {
  let lines = '';
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!skip(name.toLowerCase())) lines += `${name}: ${rawHeaders[i + 1]}\r\n`;
  }
  return lines;
}

/** Tunnels WebSocket upgrades to backends and remembers them for shutdown. */
export class UpgradeTunnels {
  readonly #open = new Set<Duplex>();

  get size(): number {
    return this.#open.size;
  }

  /** Proxies an Upgrade request; on success the two sockets are piped until either closes. */
  proxy(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    backend: Backend,
    target: string,
  ): void {
    socket.on('error', () => socket.destroy());
    const headers = forwardedHeaders(req);
    headers.connection = 'Upgrade';
    headers.upgrade = firstValue(req.headers.upgrade) ?? 'websocket';

    const upstream = http.request({
      ...requestOptions(backend, req.method ?? 'GET', target),
      headers,
    });

    // The browser gave up before the backend answered.
    socket.once('close', () => upstream.destroy());

    upstream.on('upgrade', (answer, backendSocket, backendHead) => {
      backendSocket.on('error', () => backendSocket.destroy());
      if (socket.destroyed) {
        backendSocket.destroy();
        return;
      }
      socket.write(
        statusLine(101, answer.statusMessage) + rawHeaderLines(answer.rawHeaders) + '\r\n',
      );
      if (backendHead.length > 0) socket.write(backendHead);
      if (head.length > 0) backendSocket.write(head);
      this.#track(socket, backendSocket);
      backendSocket.pipe(socket);
      socket.pipe(backendSocket);
    });

    // The backend refused to upgrade (401, 404, ...): relay its answer as-is and hang up.
    upstream.on('response', (answer) => {
      const lines = rawHeaderLines(answer.rawHeaders, (name) => HOP_BY_HOP.has(name));
      socket.write(
        statusLine(answer.statusCode ?? 502, answer.statusMessage) +
          lines +
          'connection: close\r\n\r\n',
      );
      answer.pipe(socket);
    });

    upstream.on('error', (error) => {
      if (socket.destroyed) return;
      backend.onError?.(error);
      const body = unavailableBody(backend);
      socket.end(
        statusLine(502, 'Bad Gateway') +
          'content-type: application/json; charset=utf-8\r\n' +
          `content-length: ${Buffer.byteLength(body)}\r\n` +
          'connection: close\r\n\r\n' +
          body,
      );
    });

    upstream.end();
  }

  /** Closes every tunnel (shutdown); browsers reconnect to a live instance. */
  closeAll(): void {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  #track(client: Duplex, backend: Duplex): void {
    this.#open.add(client);
    const close = () => {
      this.#open.delete(client);
      client.destroy();
      backend.destroy();
    };
    client.on('close', close);
    backend.on('close', close);
  }
}
