import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'analytics-projector', include: ['test/**/*.test.ts'] },
});
