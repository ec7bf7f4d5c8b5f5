import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'telegram-emulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
