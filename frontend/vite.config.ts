import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  build: { sourcemap: process.env['SOURCEMAP'] === '1' },
  resolve: {
    alias: {
      // See src/lib/chart/tailwindMerge.ts: layerchart's class joining without Tailwind's rules.
      'tailwind-merge': fileURLToPath(new URL('./src/lib/chart/tailwindMerge.ts', import.meta.url)),
    },
  },
  plugins: [
    sveltekit({
      adapter: adapter(),
    }),
  ],
});
