import { age } from '../output.ts';
import { direct, getObject, kube, type QdrantClusterObject, type Spec, type Target } from './cluster-targets.ts';

/** What `kubectl describe` would show: the spec in short, phase, conditions, nodes, endpoint, recent events. */
export async function clusterDescribe(name: string, t: Target): Promise<void> {
  const lines: string[] = [];
  const add = (label: string, value: unknown) => lines.push(`${`${label}:`.padEnd(14)}${value ?? '<none>'}`);
  if (direct(t)) {
    const c = (await getObject(t, name)) as QdrantClusterObject & {
      spec: Spec;
      status?: {
        reason?: string;
        endpoint?: string;
        conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
        nodes?: Record<string, { state?: Record<string, string>; version?: string; restartCount?: number }>;
      };
    };
    add('Name', name);
    add('Namespace', c.metadata.namespace);
    add('Version', c.spec.version);
    add('Nodes', `${c.status?.availableNodes ?? 0}/${c.spec.size} ready`);
    add('Resources', `cpu ${c.spec.resources?.cpu}, memory ${c.spec.resources?.memory}, storage ${c.spec.resources?.storage}`);
    add('Phase', `${c.status?.phase ?? 'Pending'}${c.status?.reason ? ` (${c.status.reason})` : ''}`);
    add('Endpoint', c.status?.endpoint);
    if (c.spec.pauses?.length) add('Paused by', c.spec.pauses.map((p) => `${p.owner ?? '?'}${p.reason ? `: ${p.reason}` : ''}`).join('; '));
    lines.push('Conditions:');
    for (const k of c.status?.conditions ?? []) lines.push(`  ${k.type.padEnd(20)}${k.status.padEnd(8)}${k.reason ?? ''}${k.message ? `  ${k.message}` : ''}`);
    lines.push('Nodes:');
    for (const [pod, n] of Object.entries(c.status?.nodes ?? {}))
      lines.push(`  ${pod.padEnd(28)}ready=${n.state?.Ready ?? 'Unknown'}  version=${n.version ?? '?'}  restarts=${n.restartCount ?? 0}`);
    const { client } = await kube(t);
    const events = (
      await client.list<{
        apiVersion: string;
        kind: string;
        metadata: { name?: string };
        type?: string;
        reason?: string;
        note?: string;
        eventTime?: string;
        regarding?: { name?: string; kind?: string };
      }>({ apiVersion: 'events.k8s.io/v1', kind: 'Event' }, { namespace: c.metadata.namespace })
    ).items
      .filter((e) => e.regarding?.kind === 'QdrantCluster' && e.regarding.name === c.metadata.name)
      .toSorted((a, b) => (a.eventTime ?? '').localeCompare(b.eventTime ?? ''))
      .slice(-15);
    lines.push('Events:');
    for (const e of events) lines.push(`  ${age(e.eventTime).padEnd(6)}${(e.type ?? '').padEnd(9)}${(e.reason ?? '').padEnd(22)}${e.note ?? ''}`);
  } else {
    lines.push(...(await (await import('./cluster-cloud-change.ts')).cloudDescribe(name, t)));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
