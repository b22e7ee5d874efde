import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The browser app: plain esbuild JSX (no Babel, no fast refresh needed for a build), one
// small entry chunk, the routes and the YAML editor split off and loaded on demand.
export default defineConfig({
  root: 'app',
  base: '/',
  publicDir: false,
  esbuild: { jsx: 'automatic' },
  // All @qhc packages share one version: the newest agent and operator this console knows.
  define: { 'import.meta.env.VITE_QHC_VERSION': JSON.stringify(version) },
  build: {
    outDir: '../dist/app',
    emptyOutDir: true,
    target: 'es2023',
    // No source maps in the package: they would be 5 MB of the 5.5 MB it ships.
    sourcemap: false,
    // The CSP forbids inline scripts: no module-preload polyfill injected into index.html.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
