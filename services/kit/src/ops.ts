// The operational HTTP surface every service exposes:
//   /healthz  the process is alive (event loop answering)
//   /readyz   dependencies reachable and consumers attached (503 with the failing checks)
//   /metrics  Prometheus text
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface Probes {
  readonly checks: Record<string, ReadinessCheck>;
  readonly serveMetrics: (req: IncomingMessage, res: ServerResponse) => void;
  /** Set once shutdown starts so load balancers stop sending work. */
  draining?: boolean;
}

export async function readiness(
  probes: Probes,
): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
  const entries = await Promise.all(
    Object.entries(probes.checks).map(async ([name, check]) => {
      try {
        return [name, await check()] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { ready: !probes.draining && entries.every(([, ok]) => ok), checks };
}

/** Answers an ops path; returns false for any other path so a host server can route it. */
export function handleOpsRequest(
  probes: Probes,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/readyz') {
    void readiness(probes).then(({ ready, checks }) =>
      sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        draining: !!probes.draining,
        checks,
      }),
    );
    return true;
  }
  if (path === '/metrics') {
    probes.serveMetrics(req, res);
    return true;
  }
  return false;
}

/**
 * The ops server; `route` may serve further paths on the same port (e.g. the gateway's
 * Telegram webhooks) and returns false for paths it does not know.
 */
export async function startOpsServer(
  probes: Probes,
  port: number,
  host: string,
  route?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<Server & { port: number }> {
  const server = createServer((req, res) => {
    if (handleOpsRequest(probes, req, res) || route?.(req, res)) return;
    sendJson(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
