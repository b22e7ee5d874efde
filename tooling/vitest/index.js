// Shared vitest settings. Plain JS so vite's config loader needs no TypeScript step.
// Every package writes a JSON report to reports/vitest.json: .ci/run adds them up into
// the "N passed, N failed" line, so a run that executed no test is visible.
import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * @param {import('vitest/config').UserConfig} [overrides]
 */
export function defineQhcConfig(overrides = {}) {
  const base = defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**'],
      environment: 'node',
      reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      passWithNoTests: false,
    },
  });
  return mergeConfig(base, overrides);
}
