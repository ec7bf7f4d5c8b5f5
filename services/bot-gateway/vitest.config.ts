import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'bot-gateway', include: ['test/**/*.test.ts'] },
});
