// The one-origin server against real loopback backends: what a browser would see.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardServer, type DashboardServer } from './app.ts';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(server: http.Server): Promise<URL> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

function backend(name: string, seen: Seen[]): http.Server {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(201, {
        'content-type': 'application/json',
        'x-backend': name,
        connection: 'x-internal',
        'x-internal': 'hop-only',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end(JSON.stringify({ backend: name, body }));
    });
  });
  // A bare-bones WebSocket-ish backend: accepts the upgrade and echoes bytes back.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    seen.push({ method: 'UPGRADE', url: req.url ?? '', headers: req.headers, body: '' });
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: test\r\n\r\n',
    );
    socket.on('data', (data: Buffer) => socket.write(`echo:${data.toString()}`));
    socket.on('end', () => socket.end());
  });
  return server;
}

function upgrade(
  origin: URL,
  path: string,
): Promise<{ status: number; socket?: Duplex; body?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: origin.hostname,
      port: origin.port,
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'abc==' },
    });
    req.on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function nextData(socket: Duplex): Promise<string> {
  return new Promise((resolve) => socket.once('data', (data: Buffer) => resolve(data.toString())));
}

const readSeen: Seen[] = [];
const commandSeen: Seen[] = [];
const readServer = backend('read', readSeen);
const commandServer = backend('command', commandSeen);
let dashboard: DashboardServer;
let origin: URL;
let downOrigin: URL;
let down: DashboardServer;
const backendErrors: string[] = [];

beforeAll(async () => {
  const readApiUrl = await listen(readServer);
  const commandApiUrl = await listen(commandServer);
  const app = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>the app</p>');
  };
  dashboard = createDashboardServer({ readApiUrl, commandApiUrl }, app);
  origin = await listen(dashboard.server);

  // Backends that refuse connections: a port that was just freed.
  const probe = http.createServer();
  const closed = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  down = createDashboardServer(
    { readApiUrl: closed, commandApiUrl: closed },
    app,
    (backend, error) => backendErrors.push(`${backend}: ${(error as NodeJS.ErrnoException).code}`),
  );
  downOrigin = await listen(down.server);
});

afterAll(async () => {
  dashboard.tunnels.closeAll();
  for (const server of [dashboard.server, down.server, readServer, commandServer]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('one-origin server', () => {
  it('answers /healthz', async () => {
    const res = await fetch(new URL('/healthz', origin));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('hands pages to the SvelteKit app', async () => {
    const res = await fetch(new URL('/', origin));
    expect(await res.text()).toBe('<p>the app</p>');
  });

  it('proxies reads to the read API with status, headers and forwarding info', async () => {
    const res = await fetch(new URL('/api/v1/dashboard/activity?limit=20', origin));
    expect(res.status).toBe(201);
    expect(res.headers.get('x-backend')).toBe('read');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('x-internal')).toBeNull();
    expect(await res.json()).toEqual({ backend: 'read', body: '' });

    const seen = readSeen.at(-1)!;
    expect(seen.url).toBe('/api/v1/dashboard/activity?limit=20');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe(origin.host);
  });

  it('appends to an X-Forwarded-For set by a proxy in front', async () => {
    await fetch(new URL('/api/v1/groups', origin), {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(readSeen.at(-1)!.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
  });

  it('streams writes to the command API', async () => {
    const res = await fetch(new URL('/api/v1/groups/-1001/settings', origin), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mute_new_members: true }),
    });
    expect(await res.json()).toEqual({
      backend: 'command',
      body: '{"mute_new_members":true}',
    });
    expect(commandSeen.at(-1)!.method).toBe('PUT');
  });

  it('answers 502 JSON naming the backend that is down', async () => {
    const read = await fetch(new URL('/api/v1/dashboard/stats', downOrigin));
    expect(read.status).toBe(502);
    expect(await read.json()).toEqual({ error: 'bad_gateway', message: 'read API unavailable' });
    const command = await fetch(new URL('/api/v1/groups', downOrigin), { method: 'POST' });
    expect(await command.json()).toEqual({
      error: 'bad_gateway',
      message: 'command API unavailable',
    });
    expect(backendErrors).toEqual(['read API: ECONNREFUSED', 'command API: ECONNREFUSED']);
  });

  it('tunnels the /ws upgrade to the read API, both ways', async () => {
    const { status, socket } = await upgrade(origin, '/ws');
    expect(status).toBe(101);
    expect(readSeen.at(-1)).toMatchObject({ method: 'UPGRADE', url: '/ws' });
    expect(readSeen.at(-1)!.headers['sec-websocket-key']).toBe('abc==');
    socket!.write('ping');
    expect(await nextData(socket!)).toBe('echo:ping');
    expect(dashboard.tunnels.size).toBe(1);

    const closed = new Promise((resolve) => socket!.once('close', resolve));
    dashboard.tunnels.closeAll();
    await closed;
    expect(dashboard.tunnels.size).toBe(0);
  });

  it('refuses upgrades outside /ws', async () => {
    expect((await upgrade(origin, '/api/v1/dashboard/stats')).status).toBe(404);
  });

  it('answers a WebSocket to a read API that is down with 502', async () => {
    const { status, body } = await upgrade(downOrigin, '/ws');
    expect(status).toBe(502);
    expect(JSON.parse(body!)).toEqual({ error: 'bad_gateway', message: 'read API unavailable' });
  });
});
