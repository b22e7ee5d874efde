// The workspace's tsup presets. Plain JS so tsup's config loader needs no TypeScript step.
import { defineConfig } from 'tsup';

/**
 * A library: `src/index.ts` to ESM for Node 24, with type declarations and source maps.
 * @param {import('tsup').Options} [extra]
 */
export function library(extra = {}) {
  return defineConfig({ entry: ['src/index.ts'], format: ['esm'], dts: true, sourcemap: true, clean: true, target: 'node24', ...extra });
}

/**
 * An app: its index (what tests and other tools import) and its main (the binary).
 * @param {import('tsup').Options} [extra]
 */
export function app(extra = {}) {
  return library({ entry: ['src/index.ts', 'src/main.ts'], ...extra });
}
