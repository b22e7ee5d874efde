import type { hybridV1 } from '@qhc/cloud-api';
import { OperatorSettings, Region } from '@qhc/schemas';
import type * as z from 'zod';
import { LogLevel } from './enums.ts';
import { rulesOf, mapOf, tolerationsOf } from './k8s-shapes.ts';
import { listLimitProblems } from './limits.ts';
import { configurationPath, type TypedFields } from './paths.ts';
import { at, type Checked, type FieldProblem } from './problems.ts';

// An environment's configuration message → the qhc Region spec its agent installs. Pure: the
// message is stored as sent, and this is derived from it on every create and update.

/** What the spec takes besides the configuration: its DNS name, versions and the control plane's registry defaults. */
export interface SpecIdentity {
  name: string;
  agentVersion: string;
  operatorVersion: string;
  containerRegistryUrl: string;
  chartRepositoryUrl: string;
}

const LOG_LEVELS: Record<number, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | undefined> = {
  [LogLevel.UNSPECIFIED!]: undefined,
  [LogLevel.DEBUG!]: 'DEBUG',
  [LogLevel.INFO!]: 'INFO',
  [LogLevel.WARN!]: 'WARN',
  [LogLevel.ERROR!]: 'ERROR',
};

type Configuration = hybridV1.HybridCloudEnvironmentConfiguration;
type Settings = z.output<typeof OperatorSettings>;
const issuesAt = (error: z.ZodError, path: (issue: z.core.$ZodIssue) => string): FieldProblem[] =>
  error.issues.map((issue) => ({ path: path(issue), message: issue.message }));

/** Fields qhc has no place for: refused rather than silently dropped. */
function unsupported(c: Configuration, base: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (c.registrySecretName)
    problems.push({
      path: at(base, 'registry_secret_name'),
      message:
        'not supported by qhc: the installation makes its own pull secret from the region registry credentials (set them with qhc.v1.EnvironmentAgentService.SetRegistryCredentials)',
    });
  if (c.controlPlaneLabels.length > 0)
    problems.push({ path: at(base, 'control_plane_labels'), message: 'not supported by qhc: the agent and operator carry the labels of the qhc chart only' });
  return problems;
}

/** advanced_operator_settings as OperatorSettings (defaults when unset), then the typed fields over it. */
function operatorSettingsOf(c: Configuration, base: string, problems: FieldProblem[], typed: TypedFields): Settings {
  let settings = OperatorSettings.parse({});
  if (c.advancedOperatorSettings) {
    const parsed = OperatorSettings.safeParse(c.advancedOperatorSettings);
    if (parsed.success) settings = parsed.data;
    else for (const p of issuesAt(parsed.error, (i) => at(base, 'advanced_operator_settings', ...(i.path as Array<string | number>)))) problems.push(p);
  }
  const storage = settings.settings.storage;
  if (c.databaseStorageClass !== undefined) storage.default_storage_class_names.db = c.databaseStorageClass;
  if (c.snapshotStorageClass !== undefined) storage.default_storage_class_names.snapshot = c.snapshotStorageClass;
  if (c.volumeSnapshotStorageClass !== undefined) storage.snapshot_class = c.volumeSnapshotStorageClass;
  // "Extra" rules: after those of the settings (by default, DNS egress), which they must not drop.
  const policies = settings.settings.qdrant.networkPolicies;
  if (c.ingress.length > 0) {
    typed.ingressFrom = policies.ingress.length;
    policies.ingress = [...policies.ingress, ...(rulesOf(c.ingress, at(base, 'ingress'), problems) as typeof policies.ingress)];
  }
  if (c.egress.length > 0) {
    typed.egressFrom = policies.egress.length;
    policies.egress = [...policies.egress, ...(rulesOf(c.egress, at(base, 'egress'), problems) as typeof policies.egress)];
  }
  return settings;
}

function advancedOf(c: Configuration, base: string, identity: SpecIdentity, problems: FieldProblem[]): Record<string, unknown> {
  const proxySet = c.httpProxyUrl !== undefined || c.httpsProxyUrl !== undefined || c.noProxyConfigs.length > 0;
  const level = c.logLevel === undefined ? undefined : LOG_LEVELS[c.logLevel];
  if (c.logLevel !== undefined && !(c.logLevel in LOG_LEVELS)) problems.push({ path: at(base, 'log_level'), message: `unknown value ${c.logLevel}` });
  return {
    ...(proxySet ? { proxy: { httpProxy: c.httpProxyUrl || undefined, httpsProxy: c.httpsProxyUrl || undefined, noProxy: [...c.noProxyConfigs] } } : {}),
    containerRegistryUrl: c.containerRegistryUrl || identity.containerRegistryUrl,
    chartRepositoryUrl: c.chartRepositoryUrl || identity.chartRepositoryUrl,
    ...(c.caCertificates ? { caCertificate: c.caCertificates } : {}),
    ...(level ? { logLevel: { operator: level, agent: level } } : {}),
    nodeSelector: mapOf(c.nodeSelector, at(base, 'node_selector'), problems),
    tolerations: tolerationsOf(c.tolerations, at(base, 'tolerations'), problems),
  };
}

/** The Region spec of a configuration, or every problem named by its field under `base`. */
export function regionSpecOf(c: Configuration, base: string, identity: SpecIdentity): Checked<Region> {
  // Counts first: no item of a list too long is looked at.
  const tooLong = listLimitProblems(c, base);
  if (tooLong.length > 0) return { ok: false, problems: tooLong };
  const problems = unsupported(c, base);
  if (!c.namespace) problems.push({ path: at(base, 'namespace'), message: 'required: the namespace the agent and operator are installed in' });
  const typed: TypedFields = {
    storage: {
      db: c.databaseStorageClass !== undefined,
      snapshot: c.snapshotStorageClass !== undefined,
      snapshotClass: c.volumeSnapshotStorageClass !== undefined,
    },
    ingressFrom: undefined,
    egressFrom: undefined,
    nodeSelectorKeys: c.nodeSelector.map((kv) => kv.key),
  };
  const operatorSettings = operatorSettingsOf(c, base, problems, typed);
  const advanced = advancedOf(c, base, identity, problems);
  const { name, agentVersion, operatorVersion } = identity;
  const parsed = Region.safeParse({ name, namespace: c.namespace, agentVersion, operatorVersion, operatorSettings, advanced });
  if (!parsed.success) {
    const known = new Set(problems.map((p) => p.path));
    // The namespace's own message says what to do; the schema's would repeat it.
    for (const p of issuesAt(parsed.error, (i) => configurationPath(base, i.path, typed))) if (!known.has(p.path)) problems.push(p);
  }
  return problems.length > 0 || !parsed.success ? { ok: false, problems } : { ok: true, value: parsed.data };
}
