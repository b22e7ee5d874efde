// One change to a cluster through the Cloud API: its configuration as the control plane sent it,
// changed only where the command changes it (UpdateCluster), or an action (restart, suspend,
// unsuspend); with --wait, until it is Healthy again with the change applied.
import { clusterV1 } from '@qhc/cloud-api';
import { asJson, messageOf, type CloudApi, type Json } from '../cloud.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, print } from '../output.ts';
import { cloud, cloudWait, clusterRow, environmentOfTarget, phaseName } from './cluster-cloud.ts';
import { showRaw, type Target } from './cluster-targets.ts';
import { clusterOf } from './resolve.ts';
import type { ExtensionCall, ExtensionChange } from './cluster-extension.ts';

export type ConfigurationChange = (configuration: Json, api: CloudApi, environmentId: string) => Json | Promise<Json>;
export type ClusterAction = 'restart' | 'suspend' | 'unsuspend';

export interface CloudChange {
  configuration?: ConfigurationChange;
  action?: ClusterAction;
  /** A change of qhc.v1.ClusterExtensionService, alone or after the configuration's. */
  extension?: ExtensionChange;
  what: string;
  /** The command, when the Cloud API cannot make its change: it works with --kubeconfig only. */
  command?: string;
}

async function act(api: CloudApi, action: ClusterAction, clusterId: string): Promise<void> {
  const req = { accountId: api.accountId, clusterId };
  if (action === 'restart') await api.call('RestartCluster', () => api.clusters.restartCluster(req));
  else if (action === 'suspend') await api.call('SuspendCluster', () => api.clusters.suspendCluster(req));
  else await api.call('UnsuspendCluster', () => api.clusters.unsuspendCluster(req));
}

export async function cloudChange(ref: string, change: CloudChange, options: { wait?: boolean; timeout?: string; dryRun?: boolean }, t: Target): Promise<void> {
  if (!change.configuration && !change.action && !change.extension)
    throw new CliError(`the Cloud API has no such change${change.command ? ` (qhc cluster ${change.command})` : ''}`, {
      code: EXIT.usage,
      hint: 'make it on the QdrantCluster directly, with --kubeconfig',
    });
  const api = cloud(t);
  const environment = await environmentOfTarget(api, t);
  const cluster = await clusterOf(api, environment, ref);
  const since = Date.now();
  const current = asJson(clusterV1.ClusterSchema, cluster);
  const { state: _state, ...desired } = current;
  const next = change.configuration
    ? { ...desired, configuration: await change.configuration(structuredClone((desired.configuration ?? {}) as Json), api, environment.id) }
    : undefined;
  const extension = change.extension ? await change.extension(api, cluster.id) : undefined;
  if (options.dryRun) return void (await print<unknown>(dryRunOf(cluster.name, next, extension, change.action), dryRunFormat(cluster.name)));
  let changed = cluster;
  if (next) {
    const message = messageOf(clusterV1.ClusterSchema, next, 'the changed cluster');
    changed = (await api.call('UpdateCluster', () => api.clusters.updateCluster({ cluster: message }))).cluster!;
  } else if (change.action) {
    await act(api, change.action, cluster.id);
  }
  await extension?.send();
  process.stderr.write(`cluster ${cluster.name}: ${change.what}\n`);
  if (options.wait) return showRaw(await cloudWait(api, environment, cluster, { since, timeout: options.timeout }), t);
  return showRaw(clusterRow(changed), t);
}

/** What --dry-run prints: the cluster as it would be sent and the extension's request by its rpc, or the action. */
function dryRunOf(name: string, next: Json | undefined, extension: ExtensionCall | undefined, action: ClusterAction | undefined): unknown {
  if (!extension) return next ?? { [action!]: name };
  return next ? { cluster: next, [extension.rpc]: extension.request } : { [extension.rpc]: extension.request };
}
const dryRunFormat = (name: string) => ({ format: 'yaml' as const, columns: [], name: () => name, kind: 'cluster' });

/** What `kubectl describe` would show, from the Cloud API's cluster: configuration in short, phase, nodes, endpoint. */
export async function cloudDescribe(ref: string, t: Target): Promise<string[]> {
  const api = cloud(t);
  const environment = await environmentOfTarget(api, t);
  const c = asJson(clusterV1.ClusterSchema, await clusterOf(api, environment, ref)) as Json & {
    configuration?: { numberOfNodes?: number; version?: string; packageId?: string };
    state?: { phase?: string; reason?: string; nodesUp?: number; version?: string; endpoint?: { url?: string }; nodes?: Array<Json & { name: string }> };
  };
  const lines: string[] = [];
  const add = (label: string, value: unknown) => lines.push(`${`${label}:`.padEnd(14)}${value || '<none>'}`);
  add('Name', c.name);
  add('Id', c.id);
  add('Region', environment.name);
  add('Version', c.state?.version || c.configuration?.version);
  add('Nodes', `${c.state?.nodesUp ?? 0}/${c.configuration?.numberOfNodes ?? 0} ready`);
  add('Package', c.configuration?.packageId);
  add('Phase', `${phaseName(c.state?.phase) ?? 'Unspecified'}${c.state?.reason ? ` (${c.state.reason})` : ''}`);
  add('Endpoint', c.state?.endpoint?.url);
  add('Age', age(c.createdAt as string | undefined));
  lines.push('Nodes:');
  for (const n of c.state?.nodes ?? []) lines.push(`  ${n.name.padEnd(28)}state=${String(n.state ?? '?')}  version=${String(n.version ?? '?')}`);
  return lines;
}
