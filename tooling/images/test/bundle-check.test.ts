// The check that an app's bundle loads nothing at run time but Node's built-ins (the images have
// no node_modules): tiny entries bundled in a temp dir show what it catches, a metafile written by
// hand what only several outputs or a re-export-only file bring, the four apps' bundles (bundled
// once, in memory) show it passes on them with exactly BUNDLE_ALLOW.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPS,
  BUNDLE_ALLOW,
  WORKSPACE_ROOT,
  appEntry,
  assertBundleLoadsOnlyBuiltins,
  bundleApp,
  checkBundle,
  type BundleResult,
  type ImageName,
} from '../src/index.ts';

/** Entries whose bundle loads a package at run time: what the check must catch, and how it names it. */
const LEFT_OUT: { name: string; files: Record<string, string>; input: string; module: string; kind: string }[] = [
  {
    name: 'a lazy require made with createRequire (the @qdrant/js-client-rest bug)',
    files: {
      'entry.mjs':
        "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const client = () => require('left-out-client');\n",
    },
    input: 'entry.mjs',
    module: 'left-out-client',
    kind: 'createRequire',
  },
  {
    name: "a dependency's require in a try/catch of a package that is not installed",
    files: { 'entry.mjs': "export { speedUp } from './optional.cjs';\n", 'optional.cjs': "try { exports.speedUp = require('native-speed-up'); } catch {}\n" },
    input: 'optional.cjs',
    module: 'native-speed-up',
    kind: 'require-call',
  },
  {
    name: 'a dynamic import of a package that is not installed, its failure caught',
    files: { 'entry.mjs': "export const later = () => import('absent-plugin').catch(() => undefined);\n" },
    input: 'entry.mjs',
    module: 'absent-plugin',
    kind: 'dynamic-import',
  },
  {
    name: 'a require of a computed name inside node_modules',
    files: {
      'entry.mjs': "export { default as load } from 'plugins';\n",
      'node_modules/plugins/package.json': '{ "name": "plugins", "main": "index.js" }',
      'node_modules/plugins/index.js': 'module.exports = (name) => require(`plugin-${name}`);\n',
    },
    input: 'node_modules/plugins/index.js',
    module: '<computed>',
    kind: 'unsupported-require-call',
  },
  {
    name: 'a require made with createRequire called with a variable, beside a literal call through it',
    files: {
      'entry.mjs': [
        "import { createRequire } from 'node:module';",
        'const req = createRequire(import.meta.url);',
        "export const path = () => req('node:path');",
        'export const plugin = (name) => req(name);',
        '',
      ].join('\n'),
    },
    input: 'entry.mjs',
    module: '<computed>',
    kind: 'createRequire',
  },
];

describe('the bundle check on tiny entries', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qhc-bundle-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the files (path → text) under a fresh folder and bundles its entry.mjs in memory. */
  async function bundleFiles(name: string, files: Record<string, string>): Promise<BundleResult> {
    const root = join(dir, name);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return bundleApp(join(root, 'entry.mjs'), join(root, 'out/app.mjs'), { workingDir: root, write: false });
  }

  it.each(LEFT_OUT)('fails on $name, naming the bundle, the file and the module', async ({ name, files, input, module, kind }) => {
    const folder = name.replaceAll(/\W+/g, '-');
    const result = await bundleFiles(folder, files);
    const output = join(dir, folder, 'out/app.mjs');
    expect(checkBundle(result, []).violations).toEqual([{ output, input, module, kind }]);
    expect(() => assertBundleLoadsOnlyBuiltins(result, { allow: [], name: 'the tiny app' })).toThrow(`the tiny app loads modules at run time`);
    expect(() => assertBundleLoadsOnlyBuiltins(result, { allow: [] })).toThrow(`${output}: ${input} loads '${module}' at run time (${kind})`);
  });

  it('passes on built-ins, on installed packages (bundled, lazy or not) and on an allowed optional dependency', async () => {
    const result = await bundleFiles('passes', {
      'entry.mjs': [
        "import { createRequire } from 'node:module';",
        "import { speedUp } from './optional.cjs';",
        'const require = createRequire(import.meta.url);',
        "export const path = () => require('node:path');",
        "export const os = () => import('node:os');",
        "export const lazy = () => import('installed');",
        'export { speedUp };',
        '',
      ].join('\n'),
      'optional.cjs':
        "exports.fs = require('fs');\nexports.later = () => require('installed');\ntry { exports.speedUp = require('native-speed-up'); } catch {}\n",
      'node_modules/installed/package.json': '{ "name": "installed", "main": "index.js" }',
      'node_modules/installed/index.js': 'module.exports = 42;\n',
    });
    const allow = [{ module: 'native-speed-up', from: 'optional.cjs', reason: 'optional, in a try/catch' }];
    expect(checkBundle(result, allow)).toEqual({ violations: [], used: allow });
    expect(() => assertBundleLoadsOnlyBuiltins(result, { allow })).not.toThrow();
  });
});

/** A metafile input with these imports, and an import of a module left external. */
const input = (imports: { path: string; kind: 'import-statement'; external?: boolean }[]) => ({ bytes: 1, imports });
const external = (path: string) => ({ path, kind: 'import-statement' as const, external: true });

describe('the bundle check on a metafile', () => {
  // esbuild lists an external import under the file that holds it in the output; the output's own
  // imports are the ground truth should a file with no bytes in the output (a re-export) bring one.
  const result: BundleResult = {
    workingDir: '/app',
    metafile: {
      inputs: {
        'a.mjs': input([{ path: 'reexport.mjs', kind: 'import-statement' }, external('given')]),
        'reexport.mjs': input([external('re-exported')]),
        'b.mjs': input([]),
      },
      outputs: {
        'out/a.mjs': {
          bytes: 1,
          inputs: { 'a.mjs': { bytesInOutput: 1 }, 'reexport.mjs': { bytesInOutput: 0 } },
          imports: [external('given'), external('re-exported'), external('re-exported'), external('node:fs')],
          exports: [],
        },
        'out/b.mjs': { bytes: 1, inputs: { 'b.mjs': { bytesInOutput: 1 } }, imports: [], exports: [] },
      },
    },
    warnings: [{ id: 'unsupported-require-call', location: { file: 'b.mjs' } } as BundleResult['warnings'][number]],
  };

  it("reports what the output imports that no input with bytes gives, once, and each warning once, with its file's output", () => {
    expect(checkBundle(result, []).violations).toEqual([
      { output: '/app/out/a.mjs', input: 'a.mjs', module: 'given', kind: 'import-statement' },
      { output: '/app/out/a.mjs', input: 'reexport.mjs', module: 're-exported', kind: 'import-statement' },
      { output: '/app/out/b.mjs', input: 'b.mjs', module: '<computed>', kind: 'unsupported-require-call' },
    ]);
    const allow = [{ module: 're-exported', from: 'reexport.mjs', reason: 'optional' }];
    expect(checkBundle(result, allow).used).toEqual(allow);
  });
});

describe("the apps' bundles", () => {
  const apps = Object.keys(APPS) as ImageName[];
  const results = new Map<ImageName, BundleResult>();
  // Bundled once for the file, in memory, as build.ts bundles them (3-5 s each here).
  beforeAll(async () => {
    for (const app of apps)
      results.set(app, await bundleApp(appEntry(app), join(WORKSPACE_ROOT, APPS[app].dir, 'dist/image/app.mjs'), { workingDir: WORKSPACE_ROOT, write: false }));
  });

  it.each(apps)('%s loads nothing at run time but Node built-ins and BUNDLE_ALLOW', (app) => {
    expect(() => assertBundleLoadsOnlyBuiltins(results.get(app)!, { name: app })).not.toThrow();
  });

  it('use every BUNDLE_ALLOW entry (none is stale), and each says why', () => {
    const used = new Set(apps.flatMap((app) => checkBundle(results.get(app)!).used));
    expect(BUNDLE_ALLOW.filter((entry) => !used.has(entry))).toEqual([]);
    for (const entry of BUNDLE_ALLOW) expect(entry.reason.length, entry.module).toBeGreaterThan(30);
  });
});
