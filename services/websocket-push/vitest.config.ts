import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'websocket-push', include: ['test/**/*.test.ts'] },
});
