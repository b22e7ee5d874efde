import { Link } from '../../router.tsx';
import { isSuspended, serviceTypeName } from '../../lib/clusters.ts';
import type { Cluster, Environment } from '../../types.ts';

/** While nodes start, stop or roll: how many of them are ready. */
export function ClusterProgress({ phase, ready, size }: { phase: string; ready: number; size: number }) {
  return (
    <div className="progress" role="status">
      <label htmlFor="nodes-progress">
        {phase}: {ready} of {size} node(s) ready
      </label>
      <progress id="nodes-progress" max={size} value={Math.min(ready, size)} />
    </div>
  );
}

const resource = (r: { base: number; additional: number } | undefined, unit: string) => (r ? `${r.base + r.additional}${unit}` : '?');

/** The cluster at a glance: where it runs, its version, size, resources and how it is reached. */
export function ClusterFacts({ c, env, ready }: { c: Cluster; env: Environment | undefined; ready: number }) {
  const cfg = c.configuration;
  const res = c.state?.resources;
  return (
    <dl className="facts">
      <dt>Environment</dt>
      <dd>
        <Link href={`/environments/${encodeURIComponent(c.cloudProviderRegionId)}`}>{env?.name ?? c.cloudProviderRegionId}</Link>
      </dd>
      <dt>Version</dt>
      <dd>
        {c.state?.version || cfg?.version}
        {c.state?.version && cfg?.version && c.state.version !== cfg.version && ` (upgrading to ${cfg.version})`}
      </dd>
      <dt>Nodes ready</dt>
      <dd>
        {ready}/{cfg?.numberOfNodes}
      </dd>
      <dt>Package</dt>
      <dd>{cfg?.packageId}</dd>
      <dt>Resources per node</dt>
      <dd>
        {resource(res?.cpu, '')} CPU, {resource(res?.ram, ' GiB')} memory, {resource(res?.disk, ' GiB')} storage
      </dd>
      <dt>Endpoint</dt>
      <dd>
        <code>{c.state?.endpoint?.url || 'once the cluster serves'}</code>
      </dd>
      <dt>Service</dt>
      <dd>{serviceTypeName(cfg?.serviceType)}</dd>
      <dt>Labels</dt>
      <dd>{c.labels.map((l) => `${l.key}=${l.value}`).join(', ') || 'none'}</dd>
      <dt>Suspended</dt>
      <dd>{isSuspended(c) ? 'yes' : 'no'}</dd>
    </dl>
  );
}
