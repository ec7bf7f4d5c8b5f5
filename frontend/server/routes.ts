// Which backend answers a request on the dashboard's one origin. Reads go to the read API
// (websocket-push); changes, and reads about identity or configuration, go to the command
// API; everything else is the SvelteKit app. Pure, so the table is tested without sockets.

export type Upstream = 'read' | 'command';

export type RouteDecision =
  { kind: 'health' } | { kind: 'app' } | { kind: 'proxy'; upstream: Upstream; target: string };

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Paths a GET still sends to the command API: sessions, admins, configuration. */
function isCommandRead(path: string): boolean {
  return (
    path === '/api/v1/auth' ||
    path.startsWith('/api/v1/auth/') ||
    path.startsWith('/api/v1/admins') ||
    path.startsWith('/api/v1/config')
  );
}

/**
 * The request target with dot segments resolved ("/api/v1/x/../admins" is "/api/v1/admins"),
 * so routing and the backend see the same path. Prefixing the origin keeps a target such as
 * "//host/path" a path rather than a host.
 */
export function normalizeTarget(url: string): { path: string; target: string } {
  const parsed = new URL(`http://dashboard.invalid${url.startsWith('/') ? '' : '/'}${url}`);
  return { path: parsed.pathname, target: parsed.pathname + parsed.search };
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Routes a plain HTTP request; `url` is the request target (path and query). */
export function routeRequest(method: string, url: string): RouteDecision {
  const { path, target } = normalizeTarget(url);
  if (path === '/healthz') return { kind: 'health' };
  if (!isUnder(path, '/api')) return { kind: 'app' };
  const upstream: Upstream =
    READ_METHODS.has(method.toUpperCase()) && !isCommandRead(path) ? 'read' : 'command';
  return { kind: 'proxy', upstream, target };
}

/** Routes an HTTP Upgrade (WebSocket) request; null means nothing here accepts it. */
export function routeUpgrade(url: string): { upstream: Upstream; target: string } | null {
  const { path, target } = normalizeTarget(url);
  return path === '/ws' ? { upstream: 'read', target } : null;
}
