// The operator's HTTP server reads node:http without an ESM import (./src/http-server.ts): an
// ESM import reads every export, and node:http's WebSocket getters load Node's own undici,
// megabytes of RSS. (The Qdrant client, imported statically on purpose, still loads it: the
// images are esbuild bundles without node_modules, where a lazy require() of it would fail.)
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The modules a fresh node process has loaded once it imported the operator's HTTP server. */
function loadedAfterImport(): { builtins: string[]; files: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(new URL('../src/http-server.ts', import.meta.url).href)});
    const files = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ builtins: process.moduleLoadList, files }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { builtins: string[]; files: string[] };
}

describe('startup', () => {
  it("the HTTP server does not load Node's own undici", () => {
    const { builtins } = loadedAfterImport();
    expect(builtins.filter((m) => m.includes('internal/deps/undici'))).toEqual([]);
  });
});
