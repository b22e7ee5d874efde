import type { ClusterRecord, RegionRecord } from '../../types.ts';
import { endpoint } from '../Clusters.tsx';

/** While nodes start, stop or roll: how many of them are ready. */
export function ClusterProgress({ c, phase, ready }: { c: ClusterRecord; phase: string; ready: number }) {
  return (
    <div className="progress" role="status">
      <label htmlFor="nodes-progress">
        {phase}: {ready} of {c.spec.size} node(s) ready
      </label>
      <progress id="nodes-progress" max={c.spec.size} value={Math.min(ready, c.spec.size)} />
    </div>
  );
}

/** The cluster at a glance: where it runs, its version, size, resources and how it is reached. */
export function ClusterFacts({ c, region, env, ready }: { c: ClusterRecord; region: string; env: RegionRecord | undefined; ready: number }) {
  return (
    <dl className="facts">
      <dt>Environment</dt>
      <dd>{region}</dd>
      <dt>Version</dt>
      <dd>
        {c.status?.version ?? c.spec.version}
        {c.status?.version && c.status.version !== c.spec.version && ` (upgrading to ${c.spec.version})`}
      </dd>
      <dt>Nodes ready</dt>
      <dd>
        {ready}/{c.spec.size}
      </dd>
      <dt>Resources per node</dt>
      <dd>
        {c.spec.resources?.cpu} CPU, {c.spec.resources?.memory} memory, {c.spec.resources?.storage} storage
      </dd>
      <dt>Endpoint</dt>
      <dd>
        <code>{env ? endpoint(env, c) : '…'}</code>
      </dd>
      <dt>Service</dt>
      <dd>
        {c.spec.service?.type ?? 'ClusterIP'}
        {c.spec.ingress?.enabled && `, ingress ${c.spec.ingress.host ?? ''}`}
      </dd>
      <dt>Suspended</dt>
      <dd>{c.spec.suspend ? 'yes' : 'no'}</dd>
      <dt>Rebalancing</dt>
      <dd>{c.spec.clusterManager === undefined ? "the environment's default" : c.spec.clusterManager ? 'on' : 'off'}</dd>
      {c.origin && (
        <>
          <dt>Origin</dt>
          <dd>
            Restored by {c.origin.restore} from backup {c.origin.snapshot}
            {c.origin.sourceCluster && ` of cluster ${c.origin.sourceCluster}`}
          </dd>
        </>
      )}
    </dl>
  );
}
