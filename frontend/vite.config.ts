import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { parseConfig } from './server/config.ts';
import { proxyHttp, UpgradeTunnels, type Backend } from './server/proxy.ts';
import { routeRequest, routeUpgrade, type Upstream } from './server/routes.ts';

/** `vite dev` answers /api and /ws like the one-origin server does (server/main.ts). */
function backendProxy(): Plugin {
  return {
    name: 'nezuko-backend-proxy',
    apply: 'serve',
    configureServer(server) {
      const config = parseConfig(process.env);
      const backends: Record<Upstream, Backend> = {
        read: { url: config.readApiUrl, name: 'read API' },
        command: { url: config.commandApiUrl, name: 'command API' },
      };
      const tunnels = new UpgradeTunnels();
      server.middlewares.use((req, res, next) => {
        const decision = routeRequest(req.method ?? 'GET', req.url ?? '/');
        if (decision.kind === 'proxy')
          proxyHttp(req, res, backends[decision.upstream], decision.target);
        else next();
      });
      server.httpServer?.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const route = routeUpgrade(req.url ?? '/');
        if (route) tunnels.proxy(req, socket, head, backends[route.upstream], route.target);
      });
    },
  };
}

export default defineConfig({
  build: { sourcemap: process.env['SOURCEMAP'] === '1' },
  resolve: {
    alias: {
      // See src/lib/chart/tailwindMerge.ts: layerchart's class joining without Tailwind's rules.
      'tailwind-merge': fileURLToPath(new URL('./src/lib/chart/tailwindMerge.ts', import.meta.url)),
    },
  },
  plugins: [backendProxy(), sveltekit({ adapter: adapter() })],
});
