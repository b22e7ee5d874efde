// One app bundled by esbuild into one ESM file, with what the check in ./bundle-check.ts needs
// to see what the bundle still loads at run time.
import { build, type Message, type Metafile } from 'esbuild';

export interface BundleResult {
  /** esbuild's account of the bundle: its inputs, what each imports, and what stayed external. */
  metafile: Metafile;
  warnings: Message[];
  /** Paths in the metafile are relative to this directory. */
  workingDir: string;
}

/**
 * The banner gives the bundle a `require` (ESM has none): CommonJS dependencies require Node's
 * built-ins through it. It also means a require of a package left out of the bundle does not
 * fail here, only in the image, when that code first runs: hence the check.
 */
export const BANNER = "import { createRequire as __qhcRequire } from 'node:module'; const require = __qhcRequire(import.meta.url);";

/** Bundles `entry` (absolute) into `outfile`; `write: false` keeps it in memory (the tests). */
export async function bundleApp(entry: string, outfile: string, options: { workingDir: string; write?: boolean }): Promise<BundleResult> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    absWorkingDir: options.workingDir,
    write: options.write ?? true,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    legalComments: 'none',
    // pg's optional native binding is not used (see BUNDLE_ALLOW).
    external: ['pg-native'],
    banner: { js: BANNER },
    metafile: true,
    // A require(name) or import(name) of a computed name stays a runtime call the metafile cannot
    // list (no path); esbuild reports it only at debug level in node_modules. Raised to warnings
    // (not printed: logLevel is 'error') so the check sees them in the result.
    logOverride: { 'unsupported-require-call': 'warning', 'unsupported-dynamic-import': 'warning', 'indirect-require': 'warning' },
    logLevel: 'error',
  });
  return { metafile: result.metafile, warnings: result.warnings, workingDir: options.workingDir };
}
