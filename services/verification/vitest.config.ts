import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Integration tests wait for real flood waits (retry_after) and redeliveries.
  test: {
    name: 'verification',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
