// `qhc --help` and `qhc version` must start as fast as node itself: the entry loads commander
// and the command tree only. The transports (http2, TLS, zlib) and the generated API code sit in
// chunks that a command imports when it runs. A static import from the entry's graph into one of
// them (as `collect` once was, through rows.ts → cloud.ts) costs ~0.4 s at every start.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QHC } from './support.ts';

const STATIC_IMPORT = /^\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/gm;
const HEAVY_BUILTINS = ['http', 'http2', 'https', 'tls', 'zlib', 'net'];

/** Every module the entry loads before running a command: the static imports, transitively. */
function staticGraph(entry: string): { files: string[]; builtins: Set<string> } {
  const files: string[] = [];
  const builtins = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec!.startsWith('.')) visit(join(dirname(file), spec!));
      else builtins.add(spec!.replace(/^node:/, ''));
    }
  };
  visit(entry);
  return { files, builtins };
}

describe("the CLI's start-up", () => {
  it('loads no network transport and no generated API code before a command runs', () => {
    const { files, builtins } = staticGraph(QHC);
    expect(files.length).toBeGreaterThan(1);
    expect(HEAVY_BUILTINS.filter((b) => builtins.has(b))).toEqual([]);
    const heavy = files.filter((f) => /@connectrpc|@bufbuild\/protobuf/.test(readFileSync(f, 'utf8')));
    expect(heavy.map((f) => f.slice(dirname(QHC).length + 1))).toEqual([]);
  });
});
