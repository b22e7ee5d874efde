import { clusterResourceName, type QdrantClusterSpec, type RegionInput } from '@qhc/schemas';
import type * as z from 'zod';
import { applyConfig, type ClusterConfigForm } from './cluster-config.ts';

// Form values (strings, as inputs hold them) into the API's request bodies. Empty optional
// fields are left out, so the API applies its defaults and its errors name real input.

export interface RegionForm {
  name: string;
  namespace: string;
  agentVersion: string;
  operatorVersion: string;
  settingsYaml: string;
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  containerRegistryUrl: string;
  chartRepositoryUrl: string;
  caCertificate: string;
  /** Pull credentials for the container registry: write-only, the API never shows the password back. */
  registryUsername: string;
  registryPassword: string;
  operatorLogLevel: string;
  agentLogLevel: string;
}

const opt = <T>(value: string, make: (v: string) => T) => (value.trim() ? make(value.trim()) : undefined);
const prune = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The region body; `operatorSettings` stays YAML text, so the API's problems carry its lines. */
export function regionBody(
  form: RegionForm,
): Omit<RegionInput, 'operatorSettings'> & { operatorSettings?: string; registryCredentials?: { username: string; password: string } } {
  const noProxy = form.noProxy.split(/[\s,]+/).filter(Boolean);
  const proxy = prune({ httpProxy: opt(form.httpProxy, String), httpsProxy: opt(form.httpsProxy, String), ...(noProxy.length ? { noProxy } : {}) });
  return prune({
    name: form.name.trim(),
    namespace: form.namespace.trim(),
    agentVersion: form.agentVersion.trim(),
    operatorVersion: form.operatorVersion.trim(),
    operatorSettings: form.settingsYaml.trim() ? form.settingsYaml : undefined,
    advanced: prune({
      proxy: Object.keys(proxy).length ? proxy : undefined,
      containerRegistryUrl: opt(form.containerRegistryUrl, String),
      chartRepositoryUrl: opt(form.chartRepositoryUrl, String),
      caCertificate: opt(form.caCertificate, (v) => `${v}\n`),
      logLevel: { operator: form.operatorLogLevel as 'INFO', agent: form.agentLogLevel as 'INFO' },
    }),
    // Both or neither: the API refuses half a login, and a password is never trimmed.
    registryCredentials:
      form.registryUsername.trim() || form.registryPassword ? { username: form.registryUsername.trim(), password: form.registryPassword } : undefined,
  });
}

/** The create form: name, version, size and resources, and the configuration (lib/cluster-config.ts). */
export interface ClusterForm extends ClusterConfigForm {
  name: string;
  version: string;
  nodes: string;
  cpu: string;
  memory: string;
  storage: string;
}

export type ClusterSpecInput = Omit<z.input<typeof QdrantClusterSpec>, 'id'>;

export function clusterBody(form: ClusterForm): { name: string; spec: ClusterSpecInput } {
  const base = {
    version: form.version.trim(),
    size: Number(form.nodes),
    resources: { cpu: form.cpu.trim(), memory: form.memory.trim(), storage: form.storage.trim() },
  };
  return { name: form.name.trim(), spec: applyConfig(base, form) as ClusterSpecInput };
}

/** Backup names must be DNS labels: `<cluster>-<yyyymmdd-hhmmss>`, as the CLI makes them. */
export function backupName(cluster: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase();
  return `${cluster}-${stamp}`.slice(0, 63);
}

/** The restore's QdrantClusterRestore spec, as `qhc restore create` builds it. */
export function restoreBody(backup: { name: string; clusterId: string }, namespace: string, into: { cluster: string; create: boolean }) {
  const name = `${backup.name}-to-${into.cluster}`.slice(0, 63).replace(/-+$/, '');
  return {
    name,
    clusterId: backup.clusterId,
    spec: { source: { snapshotName: backup.name, namespace }, destination: { name: clusterResourceName(into.cluster), namespace, create: into.create } },
  };
}
