import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dashboard',
    include: ['src/**/*.unit.test.ts', 'server/**/*.unit.test.ts'],
  },
});
