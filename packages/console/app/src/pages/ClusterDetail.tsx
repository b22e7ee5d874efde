import { useState, type ReactNode } from 'react';
import { pages, request, regionPath } from '../api.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { navigate } from '../router.tsx';
import { ConfirmDelete } from '../components/dialogs.tsx';
import { Badge, CheckboxField, ErrorBox, Field, LoadMore, Loading, SelectField, Table } from '../components/ui.tsx';
import { SERVICE_TYPES } from '../lib/options.ts';
import { phaseTone } from '../lib/status.ts';
import type { ClusterEvent, ClusterRecord, RegionRecord } from '../types.ts';
import { endpoint } from './Clusters.tsx';
import { ClusterConfigFields } from '../components/ClusterConfigFields.tsx';
import { applyConfig, configOf, type ClusterConfigForm } from '../lib/cluster-config.ts';

type Spec = ClusterRecord['spec'];

/** One action: a small form whose submit calls the API; the page's polling shows the effect. */
function Action({
  title,
  submitLabel,
  onSubmit,
  children,
  disabled,
  wide,
}: {
  title: string;
  submitLabel: string;
  onSubmit: () => Promise<unknown>;
  children?: ReactNode;
  disabled?: boolean;
  wide?: boolean;
}) {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = `action-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <form
      className={wide ? 'panel action wide' : 'panel action'}
      aria-labelledby={id}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onSubmit();
          setError(undefined);
          setDone(true);
        } catch (err) {
          setError(err);
          setDone(false);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 id={id}>{title}</h3>
      {children}
      <ErrorBox error={error} />
      {done && <p role="status">Requested; the agent applies it.</p>}
      <button className="button" type="submit" disabled={busy || disabled}>
        {submitLabel}
      </button>
    </form>
  );
}

export default function ClusterDetail({ region, cluster: name }: { region: string; cluster: string }) {
  const env = usePoll(() => request<RegionRecord>('GET', regionPath(region)), [region], 10_000);
  const { data: c, error } = usePoll(() => request<ClusterRecord>('GET', regionPath(region, 'clusters', name)), [region, name]);
  const events = usePagedPoll(pages<ClusterEvent>(regionPath(region, 'clusters', name, 'events')), [region, name]);

  const [size, setSize] = useState<string>();
  const [resources, setResources] = useState<{ cpu: string; memory: string; storage: string }>();
  const [version, setVersion] = useState<string>();
  const [expose, setExpose] = useState<{ type: string; ingress: boolean; host: string }>();
  const [config, setConfig] = useState<ClusterConfigForm>();

  if (!c) return error ? <ErrorBox error={error} /> : <Loading what={`cluster ${name}`} />;
  const put = (spec: Partial<Spec>) => request('PUT', regionPath(region, 'clusters', name), { spec: { ...c.spec, ...spec } });
  const phase = c.deletedAt ? 'Deleting' : (c.status?.phase ?? 'Pending');
  const ready = c.status?.nodesReady ?? 0;
  const busy = phaseTone(phase) === 'busy' || ready !== c.spec.size;
  const r = { cpu: c.spec.resources?.cpu ?? '', memory: c.spec.resources?.memory ?? '', storage: c.spec.resources?.storage ?? '', ...resources };
  const cfg = config ?? configOf(c.spec);
  const x = { type: c.spec.service?.type ?? 'ClusterIP', ingress: c.spec.ingress?.enabled ?? false, host: c.spec.ingress?.host ?? '', ...expose };

  return (
    <section>
      <div className="title">
        <h1>Cluster {c.name}</h1>
        <Badge value={phase} />
      </div>
      {busy && !c.deletedAt && (
        <div className="progress" role="status">
          <label htmlFor="nodes-progress">
            {phase}: {ready} of {c.spec.size} node(s) ready
          </label>
          <progress id="nodes-progress" max={c.spec.size} value={Math.min(ready, c.spec.size)} />
        </div>
      )}
      {c.deletedAt && <p role="status">Being deleted by the agent; it disappears once the environment reports it gone.</p>}
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
          <code>{env.data ? endpoint(env.data, c) : '…'}</code>
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

      <section className="panel" aria-labelledby="conditions-heading">
        <h2 id="conditions-heading">Conditions</h2>
        {c.status?.conditions?.length ? (
          <Table columns={['Type', 'Status', 'Reason']}>
            {c.status.conditions.map((k) => (
              <tr key={k.type}>
                <th scope="row">{k.type}</th>
                <td>{k.status}</td>
                <td>{k.reason ?? ''}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p>The agent has not reported conditions yet.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="nodes-heading">
        <h2 id="nodes-heading">Nodes</h2>
        {c.status?.nodeStatus && Object.keys(c.status.nodeStatus).length > 0 ? (
          <Table columns={['Pod', 'Phase', 'Ready', 'Version', 'Restarts', 'Volume']}>
            {Object.entries(c.status.nodeStatus)
              .toSorted(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
              .map(([pod, n]) => (
                <tr key={pod}>
                  <th scope="row">{pod}</th>
                  <td>
                    {n.podPhase ?? 'Unknown'}
                    {n.podReason && ` (${n.podReason})`}
                  </td>
                  <td>{n.state?.Ready === 'True' ? 'yes' : 'no'}</td>
                  <td>{n.version ?? ''}</td>
                  <td>{n.restartCount ?? 0}</td>
                  <td>
                    {n.databasePVCStatus?.phase ?? ''} {n.databasePVCStatus?.capacity?.storage ?? ''}
                  </td>
                </tr>
              ))}
          </Table>
        ) : (
          <p>The agent has not reported nodes yet.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Events</h2>
        {events.data?.items.length ? (
          <ol className="timeline">
            {events.data.items.map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> <span className="event-type">{e.type}</span> {e.message}
              </li>
            ))}
          </ol>
        ) : (
          <p>No events yet.</p>
        )}
        {events.data && <LoadMore more={events.data.more} what="events" onMore={events.loadMore} />}
      </section>

      {!c.deletedAt && (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">Actions</h2>
          <div className="actions-grid">
            <Action
              title="Scale"
              submitLabel="Scale"
              onSubmit={() => request('POST', regionPath(region, 'clusters', name, 'scale'), { size: Number(size ?? c.spec.size) })}
            >
              <Field label="Nodes">
                {(id) => <input id={id} type="number" min={1} max={100} value={size ?? c.spec.size} onChange={(e) => setSize(e.target.value)} />}
              </Field>
            </Action>
            <Action
              title="Resources"
              submitLabel="Change resources"
              onSubmit={() => put({ resources: { ...c.spec.resources, cpu: r.cpu, memory: r.memory, storage: r.storage } })}
            >
              <Field label="CPU">{(id) => <input id={id} value={r.cpu} onChange={(e) => setResources({ ...r, cpu: e.target.value })} />}</Field>
              <Field label="Memory">{(id) => <input id={id} value={r.memory} onChange={(e) => setResources({ ...r, memory: e.target.value })} />}</Field>
              <Field label="Storage" hint="Storage can only grow">
                {(id, h) => <input id={id} aria-describedby={h} value={r.storage} onChange={(e) => setResources({ ...r, storage: e.target.value })} />}
              </Field>
            </Action>
            <Action title="Upgrade" submitLabel="Upgrade" onSubmit={() => put({ version: version ?? c.spec.version })}>
              <Field label="Qdrant version">{(id) => <input id={id} value={version ?? c.spec.version} onChange={(e) => setVersion(e.target.value)} />}</Field>
            </Action>
            <Action
              title="Expose"
              submitLabel="Save exposure"
              onSubmit={() =>
                put({
                  service: { ...c.spec.service, type: x.type as 'ClusterIP' },
                  ingress: x.ingress ? { ...c.spec.ingress, enabled: true, ...(x.host ? { host: x.host } : {}) } : { ...c.spec.ingress, enabled: false },
                })
              }
            >
              <SelectField label="Service type" value={x.type} options={SERVICE_TYPES} onChange={(type) => setExpose({ ...x, type })} />
              <CheckboxField label="Ingress" checked={x.ingress} onChange={(ingress) => setExpose({ ...x, ingress })} />
              {x.ingress && (
                <Field label="Ingress host">{(id) => <input id={id} value={x.host} onChange={(e) => setExpose({ ...x, host: e.target.value })} />}</Field>
              )}
            </Action>
            <Action title="Restart" submitLabel="Restart all nodes" onSubmit={() => request('POST', regionPath(region, 'clusters', name, 'restart'))}>
              <p>One node at a time.</p>
            </Action>
            <Action
              title={c.spec.suspend ? 'Resume' : 'Suspend'}
              submitLabel={c.spec.suspend ? 'Resume' : 'Suspend'}
              onSubmit={() => put({ suspend: !c.spec.suspend })}
            >
              <p>{c.spec.suspend ? 'Start the nodes again on their volumes.' : 'Stop every node; the volumes stay.'}</p>
            </Action>
            <Action
              wide
              title="Configuration"
              submitLabel="Save configuration"
              onSubmit={async () => (await request('PUT', regionPath(region, 'clusters', name), { spec: applyConfig(c.spec, cfg) }), setConfig(undefined))}
            >
              <div className="config-groups">
                <ClusterConfigFields form={cfg} set={(patch) => setConfig({ ...cfg, ...patch })} existing />
              </div>
            </Action>
          </div>
          <ConfirmDelete
            what="cluster"
            name={c.name}
            onConfirm={async () => (await request('DELETE', regionPath(region, 'clusters', name)), navigate('/clusters'))}
          />
        </section>
      )}
    </section>
  );
}
