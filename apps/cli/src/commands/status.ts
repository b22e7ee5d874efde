import { ControlPlane } from '../api.ts';
import { resolveContext } from '../config.ts';
import { age, checkFormat, print } from '../output.ts';
import type { RegionRecordView } from '@qhc/schemas';
import type { Target } from './cluster.ts';

/** `qhc status`: each region's health as its agent reports it (phase, operator, agent, applied revision, last contact). */
export async function status(t: Target): Promise<void> {
  if (t.kubeconfig || t.kubeContext) {
    const { createKubeClient, currentNamespace, loadKubeConfig } = await import('@qhc/kube');
    const kc = loadKubeConfig({ kubeconfigPath: t.kubeconfig, context: t.kubeContext });
    const client = createKubeClient(kc, { fieldManager: 'qhc-cli' });
    const namespace = t.namespace ?? currentNamespace(kc);
    const deployments = (
      await client.list<{ apiVersion: string; kind: string; metadata: { name?: string }; spec?: { replicas?: number }; status?: { readyReplicas?: number } }>(
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { namespace },
      )
    ).items.filter((d) => d.metadata.name?.startsWith('qhc-'));
    const rows = deployments.map((d) => ({
      name: d.metadata.name!,
      ready: `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      phase: (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1) ? 'Ready' : 'NotReady',
    }));
    return print(rows, {
      format: checkFormat(t.output),
      noHeaders: t.noHeaders,
      name: (r) => r.name,
      kind: 'component',
      columns: [
        { header: 'component', value: (r) => r.name },
        { header: 'ready', value: (r) => r.ready },
        { header: 'phase', value: (r) => r.phase },
      ],
    });
  }
  const { RegionRecordView, regionStatusOf } = await import('@qhc/schemas');
  const api = new ControlPlane(resolveContext(t));
  const regions = (await api.list('/api/v1/regions', RegionRecordView)).filter((r) => !t.region || r.name === t.region);
  const component = (r: RegionRecordView, name: string) => {
    const c = regionStatusOf(r.status)?.components?.find((x) => x.name === name);
    return c ? `${c.phase ?? '?'} ${c.version ?? ''}`.trim() : '<unknown>';
  };
  await print(regions, {
    format: checkFormat(t.output),
    noHeaders: t.noHeaders,
    name: (r) => r.name,
    kind: 'region',
    columns: [
      { header: 'region', value: (r) => r.name },
      { header: 'phase', value: (r) => regionStatusOf(r.status)?.phase ?? (r.lastSeenAt ? 'Unknown' : 'NotConnected') },
      { header: 'operator', value: (r) => component(r, 'qhc-operator') },
      { header: 'agent', value: (r) => component(r, 'qhc-agent') },
      { header: 'applied', value: (r) => `${r.appliedRevision ?? '-'}/${r.revision}` },
      { header: 'last seen', value: (r) => (r.lastSeenAt ? `${age(r.lastSeenAt)} ago` : '<never>') },
      { header: 'message', value: (r) => regionStatusOf(r.status)?.message, wide: true },
    ],
  });
}

/** `qhc __complete clusters`: cluster names for shell completion, one per line, quietly. */
export async function completeClusters(t: Target): Promise<void> {
  const { clusterNames } = await import('./cluster.ts');
  process.stdout.write((await clusterNames(t)).join('\n') + '\n');
}
