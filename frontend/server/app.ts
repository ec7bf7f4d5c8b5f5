// The dashboard's one origin: /healthz, /api/* and the /ws upgrade proxied to the backends
// (see routes.ts), everything else handed to the SvelteKit app. Built from injected parts
// so tests run it with a stand-in app and local backends.
import http from 'node:http';
import type { DashboardServerConfig } from './config.ts';
import { proxyHttp, UpgradeTunnels, type Backend } from './proxy.ts';
import { routeRequest, routeUpgrade, type Upstream } from './routes.ts';

export type AppHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: () => void,
) => void;

export interface DashboardServer {
  server: http.Server;
  tunnels: UpgradeTunnels;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function createDashboardServer(
  config: Pick<DashboardServerConfig, 'readApiUrl' | 'commandApiUrl'>,
  app: AppHandler,
  onBackendError: (backend: string, error: Error) => void = () => {},
): DashboardServer {
  const backends: Record<Upstream, Backend> = {
    read: {
      url: config.readApiUrl,
      name: 'read API',
      onError: (error) => onBackendError('read API', error),
    },
    command: {
      url: config.commandApiUrl,
      name: 'command API',
      onError: (error) => onBackendError('command API', error),
    },
  };
  const tunnels = new UpgradeTunnels();

  const server = http.createServer((req, res) => {
    const decision = routeRequest(req.method ?? 'GET', req.url ?? '/');
    switch (decision.kind) {
      case 'health':
        sendJson(res, 200, { status: 'ok' });
        return;
      case 'proxy':
        proxyHttp(req, res, backends[decision.upstream], decision.target);
        return;
      case 'app':
        app(req, res, () => sendJson(res, 404, { error: 'not_found', message: 'Not found' }));
        return;
      default: {
        const unexpected: never = decision;
        return unexpected;
      }
    }
  });

  server.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => {
    const route = routeUpgrade(req.url ?? '/');
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    tunnels.proxy(req, socket, head, backends[route.upstream], route.target);
  });

  return { server, tunnels };
}
