// The one-origin server's settings, read once from the environment. A bad value stops the
// process with a message naming the variable.

export interface DashboardServerConfig {
  port: number;
  host: string;
  /** websocket-push: GET/HEAD under /api and the /ws WebSocket. */
  readApiUrl: URL;
  /** command: every change, plus auth, admins and config reads. */
  commandApiUrl: URL;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function backendUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): URL {
  const raw = env[name]?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http:// URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:') {
    throw new ConfigError(
      `${name} must use http:// (backends are reached in-cluster; TLS ends at the ingress), got "${raw}"`,
    );
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigError(`${name} must be an origin without a path, got "${raw}"`);
  }
  return url;
}

function port(env: NodeJS.ProcessEnv): number {
  const raw = env['PORT']?.trim() || '3000';
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65_535) {
    throw new ConfigError(`PORT must be an integer from 1 to 65535, got "${raw}"`);
  }
  return value;
}

export function parseConfig(env: NodeJS.ProcessEnv): DashboardServerConfig {
  return {
    port: port(env),
    host: env['HOST']?.trim() || '127.0.0.1',
    readApiUrl: backendUrl(env, 'READ_API_URL', 'http://127.0.0.1:3002'),
    commandApiUrl: backendUrl(env, 'COMMAND_API_URL', 'http://127.0.0.1:3001'),
  };
}
