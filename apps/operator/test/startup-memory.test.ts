// What the operator loads on startup stays what it uses: node:http through an ESM import
// loads Node's own undici (./src/http-server.ts), and @qhc/qdrant's client is loaded on the
// first connection only. Each is megabytes of RSS held from startup on.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The modules a fresh node process has loaded once it imported the operator's modules. */
function loadedAfterImport(): { builtins: string[]; files: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)});
    await import(${JSON.stringify(new URL('../src/http-server.ts', import.meta.url).href)});
    const files = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ builtins: process.moduleLoadList, files }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { builtins: string[]; files: string[] };
}

describe('startup', () => {
  it("loads neither Node's undici nor the Qdrant client", () => {
    const { builtins, files } = loadedAfterImport();
    expect(builtins.filter((m) => m.includes('internal/deps/undici'))).toEqual([]);
    expect(files.filter((f) => f.includes('js-client-rest'))).toEqual([]);
  });
});
