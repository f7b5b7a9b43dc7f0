import { defineConfig } from 'vitest/config';

// End-to-end: real browsers with the built extension. One file at a time (each launches browsers).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
