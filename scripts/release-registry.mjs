#!/usr/bin/env node
// Writes a release's registry into the build: packages/schemas/src/settings/release-registry.ts
// (the default containerRegistryUrl and chartRepositoryUrl of every region) and the chart's
// values.yaml defaults. Run by scripts/release.sh with QHC_RELEASE_REGISTRY before it builds.
//   node scripts/release-registry.mjs <registry host/path> [<charts host/path>] [1 for plain HTTP]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// QHC_ROOT: another checkout (the release test writes into a copy, never into the workspace).
const root = process.env.QHC_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const [registryArg, chartsArg, plainHttp] = process.argv.slice(2);
const strip = (s) => s.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
if (!registryArg || !/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(strip(registryArg))) {
  console.error(`release-registry: "${registryArg ?? ''}" is not a registry such as registry.example.com/qdrant`);
  process.exit(2);
}
const registry = `${plainHttp === '1' ? 'http' : 'https'}://${strip(registryArg)}/`;
const charts = `oci://${strip(chartsArg || `${strip(registryArg)}/charts`)}`;

const file = join(root, 'packages/schemas/src/settings/release-registry.ts');
const text = readFileSync(file, 'utf8')
  .replace(/^export const RELEASE_CONTAINER_REGISTRY_URL = .*$/m, `export const RELEASE_CONTAINER_REGISTRY_URL = '${registry}';`)
  .replace(/^export const RELEASE_CHART_REPOSITORY_URL = .*$/m, `export const RELEASE_CHART_REPOSITORY_URL = '${charts}';`);
writeFileSync(file, text);

const values = join(root, 'charts/qhc/values.yaml');
writeFileSync(
  values,
  readFileSync(values, 'utf8')
    .replace(/^(    containerRegistryUrl: ).*$/m, `$1${registry}`)
    .replace(/^(    chartRepositoryUrl: ).*$/m, `$1${charts}`),
);
console.log(JSON.stringify({ msg: 'release registry written', containerRegistryUrl: registry, chartRepositoryUrl: charts }));
