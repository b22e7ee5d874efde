// The images ship each app as one bundle and no node_modules: whatever the bundle still loads at
// run time, other than Node's built-ins, fails inside the image, and only when that code path
// first runs (a lazy require of @qdrant/js-client-rest would have failed at the first scale-down).
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import type { BundleResult } from './bundle.ts';

/** A module the bundle loads at run time instead of carrying it. */
export interface RuntimeLoad {
  /** The bundle's path. */
  output: string;
  /** The source file that loads it, relative to the working directory. */
  input: string;
  /** What it loads: a specifier, or `<computed>` when the name is only known at run time. */
  module: string;
  /** esbuild's import kind, the id of its warning, or `createRequire`. */
  kind: string;
}

/** A runtime load the images accept, and why. `from` is the loading file's path or its tail. */
export interface AllowedLoad {
  module: string;
  from: string;
  reason: string;
}

/** Every entry is used by some app's bundle today: the test fails on a stale one. */
export const BUNDLE_ALLOW: readonly AllowedLoad[] = [
  {
    module: 'bufferutil',
    from: 'ws/lib/buffer-util.js',
    reason: "ws's optional native frame masking, required in a try/catch that falls back to ws's own JavaScript",
  },
  {
    module: 'utf-8-validate',
    from: 'ws/lib/validation.js',
    reason: "ws's optional native UTF-8 check, required in a try/catch that falls back to Node's buffer.isUtf8",
  },
  {
    module: 'pg-native',
    from: 'pg/lib/native/client.js',
    reason:
      "pg's libpq binding (external in bundleApp): loaded only by pg's lazy `native` getter (which catches MODULE_NOT_FOUND) or with NODE_PG_FORCE_NATIVE; the control plane uses the JavaScript client",
  },
  {
    module: '../package.json',
    from: 'apps/control-plane/src/release.ts',
    reason: "the control plane's release version: build.ts writes /app/package.json (name, version) beside /app/dist for it",
  },
];

const LOADING_KINDS = new Set(['import-statement', 'require-call', 'dynamic-import', 'require-resolve']);
const COMPUTED_WARNINGS = new Set(['unsupported-require-call', 'unsupported-dynamic-import', 'indirect-require']);

/** Whether an import stays a load at run time of something other than a Node built-in. */
const loadsAtRunTime = (i: { path: string; kind: string; external?: boolean }) =>
  // `<runtime>` is esbuild's own helper code, inside the bundle.
  i.external === true && LOADING_KINDS.has(i.kind) && !isBuiltin(i.path) && i.path !== '<runtime>';

/** Everything the bundle loads at run time that is not a Node built-in. */
export function runtimeLoads(result: BundleResult): RuntimeLoad[] {
  const { metafile, warnings, workingDir } = result;
  const outputs = Object.entries(metafile.outputs).filter(([path]) => !path.endsWith('.map'));
  const loads = outputs.flatMap(([outputPath, meta]) => outputLoads(result, resolve(workingDir, outputPath), meta));
  // Warnings are the build's, not an output's: each is reported once, with the output that holds its file.
  for (const w of warnings) {
    if (!w.id || !COMPUTED_WARNINGS.has(w.id)) continue;
    const file = w.location?.file;
    const [outputPath] = outputs.find(([, meta]) => file !== undefined && file in meta.inputs) ?? outputs[0] ?? ['<unknown>'];
    loads.push({ output: resolve(workingDir, outputPath), input: file ?? '<unknown>', module: '<computed>', kind: w.id });
  }
  return loads;
}

/** What one output loads: its inputs' external imports, then whatever else the output itself imports. */
function outputLoads({ metafile, workingDir }: BundleResult, output: string, meta: Metafile['outputs'][string]): RuntimeLoad[] {
  const loads: RuntimeLoad[] = [];
  // Only the files that made it into the output: a tree-shaken one loads nothing.
  const inputs = Object.entries(meta.inputs)
    .filter(([, i]) => i.bytesInOutput > 0)
    .map(([path]) => path);
  for (const input of inputs) {
    const imports = metafile.inputs[input]?.imports ?? [];
    for (const i of imports.filter(loadsAtRunTime)) loads.push({ output, input, module: i.path, kind: i.kind });
    if (imports.some((i) => i.path === 'node:module' || i.path === 'module')) {
      loads.push(...createdRequireLoads(join(workingDir, input)).map((module) => ({ output, input, module, kind: 'createRequire' })));
    }
  }
  // The output's own imports are what it loads at run time, including what a file with no bytes in it
  // (one that only re-exports) brings: each module the inputs did not already give is reported once,
  // under the file of the output that imports it, so that BUNDLE_ALLOW's `from` still applies.
  const given = new Set(loads.map((load) => load.module));
  for (const i of meta.imports.filter(loadsAtRunTime)) {
    if (given.has(i.path)) continue;
    given.add(i.path);
    const input = Object.keys(meta.inputs).find((path) => metafile.inputs[path]?.imports.some((j) => j.external && j.path === i.path));
    loads.push({ output, input: input ?? '<output>', module: i.path, kind: i.kind });
  }
  return loads;
}

/**
 * Modules loaded through a require made with createRequire. This one case is read from the
 * source with a regex: to esbuild that require is an ordinary function, so the metafile shows
 * only the import of node:module (the lazy require of @qdrant/js-client-rest looked like this).
 */
function createdRequireLoads(file: string): string[] {
  if (!existsSync(file)) return [];
  const source = readFileSync(file, 'utf8');
  if (!/\bcreateRequire\b/.test(source)) return [];
  const literal = String.raw`\(\s*(['"\x60])([^'"\x60]+)\1`;
  const direct = [...source.matchAll(new RegExp(String.raw`\bcreateRequire\([^)]*\)` + literal, 'g'))].map((m) => m[2]!);
  const names = [...source.matchAll(/\b(?:const|let|var)\s+([\w$]+)\s*(?::[^=]+)?=\s*(?:[\w$]+\.)?createRequire\(/g)].map((m) => m[1]!);
  const viaName = names.flatMap((name) =>
    [...source.matchAll(new RegExp(String.raw`(?<![\w$.])${name.replaceAll('$', '\\$')}(?:\.resolve)?` + literal, 'g'))].map((m) => m[2]!),
  );
  // A call whose argument does not start with a string literal loads a name known only at run time.
  const notLiteral = String.raw`\(\s*(?!['"\x60])`;
  const computed =
    new RegExp(String.raw`\bcreateRequire\([^)]*\)` + notLiteral).test(source) ||
    names.some((name) => new RegExp(String.raw`(?<![\w$.])${name.replaceAll('$', '\\$')}(?:\.resolve)?` + notLiteral).test(source));
  const found = [...direct, ...viaName].filter((module) => !isBuiltin(module));
  // A createRequire whose calls the regex cannot follow is reported rather than trusted.
  if (computed || direct.length + viaName.length === 0) found.push('<computed>');
  return [...new Set(found)];
}

const allows = (entry: AllowedLoad, load: RuntimeLoad) => entry.module === load.module && (load.input === entry.from || load.input.endsWith(`/${entry.from}`));

/** The loads no entry allows, and the entries that allowed some load. */
export function checkBundle(result: BundleResult, allow: readonly AllowedLoad[] = BUNDLE_ALLOW): { violations: RuntimeLoad[]; used: AllowedLoad[] } {
  const loads = runtimeLoads(result);
  return {
    violations: loads.filter((load) => !allow.some((entry) => allows(entry, load))),
    used: allow.filter((entry) => loads.some((load) => allows(entry, load))),
  };
}

export function describeLoad(load: RuntimeLoad): string {
  return `${load.output}: ${load.input} loads '${load.module}' at run time (${load.kind})`;
}

/** Throws, naming each bundle, file and module, when a bundle loads what the image lacks. */
export function assertBundleLoadsOnlyBuiltins(result: BundleResult, options: { allow?: readonly AllowedLoad[]; name?: string } = {}): void {
  const { violations } = checkBundle(result, options.allow);
  if (violations.length === 0) return;
  throw new Error(
    [
      `${options.name ?? 'the bundle'} loads modules at run time that are neither bundled nor Node built-ins; the image has no node_modules, so each fails when its code first runs:`,
      ...violations.map((load) => `  ${describeLoad(load)}`),
      'Import them statically so esbuild bundles them, or, for an optional dependency loaded in a try/catch, add an entry with its reason to BUNDLE_ALLOW (tooling/images/src/bundle-check.ts).',
    ].join('\n'),
  );
}
