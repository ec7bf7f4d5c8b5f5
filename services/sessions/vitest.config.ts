import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'sessions', include: ['test/**/*.test.ts'] },
});
