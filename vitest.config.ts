// `npm test` runs every workspace's tests as one vitest run. Real NATS, PostgreSQL and
// Redis are resolved once by the global setup (env, localhost, or testcontainers).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    projects: ['proto', 'services/*', 'infra/*', 'frontend'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './infra/stack/src/summaryReporter.ts'],
  },
});
