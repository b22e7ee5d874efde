import { checkFormat, print } from '../output.ts';
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
  const { statusRows, STATUS_COLUMNS } = await import('./status-cloud.ts');
  await print(await statusRows(t), { format: checkFormat(t.output), noHeaders: t.noHeaders, name: (r) => r.name, kind: 'region', columns: STATUS_COLUMNS });
}

/** `qhc __complete clusters`: cluster names for shell completion, one per line, quietly. */
export async function completeClusters(t: Target): Promise<void> {
  const { clusterNames } = await import('./cluster.ts');
  process.stdout.write((await clusterNames(t)).join('\n') + '\n');
}
