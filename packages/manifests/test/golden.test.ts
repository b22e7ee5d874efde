import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildClusterObjects, buildInstallation, renderInstallScript, toYaml } from '../src/index.ts';
import { CREDENTIALS, region } from './installation-fixtures.ts';
import { matrix } from './matrix.ts';

// Golden files: the full YAML of representative clusters, reviewed by eye when they change.
// `pnpm --filter @qhc/manifests golden` rewrites them; otherwise a difference fails.

const GOLDEN = [
  'defaults',
  'NginxIngress with gRPC host and source ranges',
  'API keys, TLS, GPU and extra env',
  'scheduling and security context from settings',
];

describe('golden files', () => {
  const entries = matrix('qdrant').filter((m) => GOLDEN.includes(m.name));
  it.each(entries.map((e) => [e.name, e] as const))('%s', (_name, entry) => {
    const file = new URL(`./golden/${entry.cluster.spec.id}.yaml`, import.meta.url);
    const yaml = toYaml(buildClusterObjects(entry.cluster, entry.settings));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, yaml);
    expect(existsSync(file), `missing ${file.pathname}: run pnpm --filter @qhc/manifests golden`).toBe(true);
    expect(yaml).toBe(readFileSync(file, 'utf8'));
  });

  it('the installation command of a region', () => {
    const file = new URL('./golden/installation.sh', import.meta.url);
    const script = renderInstallScript(region(), buildInstallation(region(), CREDENTIALS));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, script);
    expect(existsSync(file), `missing ${file.pathname}: run pnpm --filter @qhc/manifests golden`).toBe(true);
    expect(script).toBe(readFileSync(file, 'utf8'));
  });
});
