import { useState } from 'react';
import { request, regionPath } from '../../api.ts';
import { navigate } from '../../router.tsx';
import { ClusterConfigFields } from '../../components/ClusterConfigFields.tsx';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { CheckboxField, Field, SelectField } from '../../components/ui.tsx';
import { applyConfig, configOf, type ClusterConfigForm } from '../../lib/cluster-config.ts';
import { SERVICE_TYPES } from '../../lib/options.ts';
import type { ClusterRecord } from '../../types.ts';
import { Action } from './Action.tsx';

type Spec = ClusterRecord['spec'];
type Put = (spec: Partial<Spec>) => Promise<unknown>;
/** What every action needs: the cluster, where the API has it, and a PUT of a changed spec. */
type ActionProps = { c: ClusterRecord; region: string; name: string; put: Put };

function ScaleAction({ c, region, name }: ActionProps) {
  const [size, setSize] = useState<string>();
  return (
    <Action
      title="Scale"
      submitLabel="Scale"
      onSubmit={() => request('POST', regionPath(region, 'clusters', name, 'scale'), { size: Number(size ?? c.spec.size) })}
    >
      <Field label="Nodes">
        {(id) => <input id={id} type="number" min={1} max={100} value={size ?? c.spec.size} onChange={(e) => setSize(e.target.value)} />}
      </Field>
    </Action>
  );
}

function ResourcesAction({ c, put }: ActionProps) {
  const [resources, setResources] = useState<{ cpu: string; memory: string; storage: string }>();
  const r = { cpu: c.spec.resources?.cpu ?? '', memory: c.spec.resources?.memory ?? '', storage: c.spec.resources?.storage ?? '', ...resources };
  return (
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
  );
}

function UpgradeAction({ c, put }: ActionProps) {
  const [version, setVersion] = useState<string>();
  return (
    <Action title="Upgrade" submitLabel="Upgrade" onSubmit={() => put({ version: version ?? c.spec.version })}>
      <Field label="Qdrant version">{(id) => <input id={id} value={version ?? c.spec.version} onChange={(e) => setVersion(e.target.value)} />}</Field>
    </Action>
  );
}

function ExposeAction({ c, put }: ActionProps) {
  const [expose, setExpose] = useState<{ type: string; ingress: boolean; host: string }>();
  const x = { type: c.spec.service?.type ?? 'ClusterIP', ingress: c.spec.ingress?.enabled ?? false, host: c.spec.ingress?.host ?? '', ...expose };
  const save = () =>
    put({
      service: { ...c.spec.service, type: x.type as 'ClusterIP' },
      ingress: x.ingress ? { ...c.spec.ingress, enabled: true, ...(x.host ? { host: x.host } : {}) } : { ...c.spec.ingress, enabled: false },
    });
  return (
    <Action title="Expose" submitLabel="Save exposure" onSubmit={save}>
      <SelectField label="Service type" value={x.type} options={SERVICE_TYPES} onChange={(type) => setExpose({ ...x, type })} />
      <CheckboxField label="Ingress" checked={x.ingress} onChange={(ingress) => setExpose({ ...x, ingress })} />
      {x.ingress && <Field label="Ingress host">{(id) => <input id={id} value={x.host} onChange={(e) => setExpose({ ...x, host: e.target.value })} />}</Field>}
    </Action>
  );
}

function ConfigurationAction({ c, region, name }: ActionProps) {
  const [config, setConfig] = useState<ClusterConfigForm>();
  const cfg = config ?? configOf(c.spec);
  return (
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
  );
}

/** Everything a user can do to a cluster that is not being deleted, each its own small form. */
export function ClusterActions({ c, region, name }: { c: ClusterRecord; region: string; name: string }) {
  const put: Put = (spec) => request('PUT', regionPath(region, 'clusters', name), { spec: { ...c.spec, ...spec } });
  const props = { c, region, name, put };
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <div className="actions-grid">
        <ScaleAction {...props} />
        <ResourcesAction {...props} />
        <UpgradeAction {...props} />
        <ExposeAction {...props} />
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
        <ConfigurationAction {...props} />
      </div>
      <ConfirmDelete
        what="cluster"
        name={c.name}
        onConfirm={async () => (await request('DELETE', regionPath(region, 'clusters', name)), navigate('/clusters'))}
      />
    </section>
  );
}
