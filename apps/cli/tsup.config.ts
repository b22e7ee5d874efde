import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// One bundle with everything in it (the published package has no runtime dependencies);
// heavy modules (the Kubernetes client, YAML, the schemas) sit in chunks that only their
// commands load.
export default defineConfig({
  entry: { qhc: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node24',
  splitting: true,
  sourcemap: false,
  clean: true,
  noExternal: [/.*/],
  define: { __QHC_VERSION__: JSON.stringify(version) },
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __qhcRequire } from 'node:module'; const require = __qhcRequire(import.meta.url);" },
});
