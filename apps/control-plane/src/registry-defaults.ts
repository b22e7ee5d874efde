import { chartRepositoryUrl, registryUrl } from '@qhc/schemas';
import type { ControlPlaneOptions } from './server.ts';

/**
 * The operator's --default-registry (host/path or a URL; https unless it says http://) and
 * chart repository (default: `oci://<registry>/charts`, where `pnpm release` pushes the chart).
 */
export function registryDefaults(registry: string | undefined, charts: string | undefined): ControlPlaneOptions['defaultRegistry'] {
  if (!registry && !charts) return undefined;
  const url = registry ? (/^https?:\/\//.test(registry) ? registry : `https://${registry}`).replace(/\/*$/, '/') : undefined;
  const chartUrl = charts ?? (url ? `oci://${url.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/charts` : undefined);
  // Checked here, at start: a bad default would otherwise refuse every new region for a field its user never set.
  for (const [flag, value, schema] of [
    ['--default-registry', url, registryUrl],
    ['--default-chart-repository', chartUrl, chartRepositoryUrl],
  ] as const) {
    const parsed = value === undefined ? undefined : schema.safeParse(value);
    if (parsed && !parsed.success) throw new Error(`${flag} ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { ...(url ? { containerRegistryUrl: url } : {}), ...(chartUrl ? { chartRepositoryUrl: chartUrl } : {}) };
}
