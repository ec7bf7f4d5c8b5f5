// Composition root of the dashboard process: config, the built SvelteKit app, the
// one-origin server, listen, and a graceful stop on SIGTERM/SIGINT.
// Run from frontend/ after `vite build`: node server/main.ts
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDashboardServer, type AppHandler } from './app.ts';
import { ConfigError, parseConfig, type DashboardServerConfig } from './config.ts';

const SHUTDOWN_GRACE_MS = 10_000;

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    service: 'dashboard',
    msg,
    ...fields,
  });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}

function loadConfig(): DashboardServerConfig {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      log('error', error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = loadConfig();

// The SvelteKit server reads READ_API_URL too (src/env.ts); give it the same resolved value.
process.env['READ_API_URL'] = config.readApiUrl.origin;

const handlerUrl = new URL('../build/handler.js', import.meta.url);
const handlerFile = fileURLToPath(handlerUrl);
if (!existsSync(handlerFile)) {
  log('error', 'The app is not built: run `npm run build -w @nezuko/dashboard` first', {
    missing: handlerFile,
  });
  process.exit(1);
}
const { handler } = (await import(handlerUrl.href)) as { handler: AppHandler };

const { server, tunnels } = createDashboardServer(config, handler, (backend, error) => {
  log('error', `${backend} request failed: ${error.message}`, {
    code: (error as NodeJS.ErrnoException).code,
  });
});

server.listen(config.port, config.host, () => {
  log('info', `dashboard listening on http://${config.host}:${config.port}`, {
    readApi: config.readApiUrl.origin,
    commandApi: config.commandApiUrl.origin,
  });
});

server.on('error', (error: NodeJS.ErrnoException) => {
  log('error', `server error: ${error.message}`, { code: error.code });
  process.exit(1);
});

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  log('info', `${signal}: draining`, { openWebSockets: tunnels.size });
  const force = setTimeout(() => {
    log('error', 'drain timed out; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  server.close(() => {
    log('info', 'stopped');
    process.exit(0);
  });
  // Live sockets never finish on their own; browsers reconnect (with resume) to another instance.
  tunnels.closeAll();
  server.closeIdleConnections();
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
