import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'command', include: ['test/**/*.test.ts'] },
});
