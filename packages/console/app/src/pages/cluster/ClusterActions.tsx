import { useState } from 'react';
import type { clusterV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { bookingApi, clustersApi } from '../../clients.ts';
import { navigate } from '../../router.tsx';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { Field, SelectField } from '../../components/ui.tsx';
import { usePoll } from '../../poll.ts';
import { isSuspended, packageLabel, SERVICE_TYPE_CHOICES, serviceTypeName, serviceTypeOf } from '../../lib/clusters.ts';
import { HYBRID_PROVIDER } from '../../lib/environments.ts';
import type { Cluster } from '../../types.ts';
import { Action } from './Action.tsx';
import { ConfigurationAction } from './ConfigurationAction.tsx';
import { useCan } from '../../components/permissions.tsx';

type Configuration = clusterV1.ClusterConfiguration;
/** A change of some configuration fields: UpdateCluster with a mask naming only them. */
type Change = (patch: Partial<Configuration>) => Promise<unknown>;
type ActionProps = { c: Cluster; change: Change };

const snake = (field: string) => field.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`);

function ScaleAction({ c, change }: ActionProps) {
  const [size, setSize] = useState<string>();
  const current = c.configuration?.numberOfNodes ?? 1;
  return (
    <Action title="Scale" submitLabel="Scale" onSubmit={() => change({ numberOfNodes: Number(size ?? current) })}>
      <Field label="Nodes">{(id) => <input id={id} type="number" min={1} max={100} value={size ?? current} onChange={(e) => setSize(e.target.value)} />}</Field>
    </Action>
  );
}

function PackageAction({ c, change }: ActionProps) {
  const packages = usePoll(
    async () =>
      (await bookingApi.listPackages({ accountId: accountId(), cloudProviderId: HYBRID_PROVIDER, cloudProviderRegionId: c.cloudProviderRegionId })).items,
    [c.cloudProviderRegionId],
    30_000,
  );
  const [chosen, setChosen] = useState<string>();
  const list = packages.data ?? [];
  const current = list.find((p) => p.id === c.configuration?.packageId);
  const label = chosen ?? (current ? packageLabel(current) : '');
  return (
    <Action
      title="Resources"
      submitLabel="Change resources"
      onSubmit={() => change({ packageId: list.find((p) => packageLabel(p) === label)?.id ?? c.configuration?.packageId ?? '' })}
    >
      <SelectField label="Package" hint="Storage can only grow" value={label} options={list.map(packageLabel)} onChange={setChosen} />
    </Action>
  );
}

function UpgradeAction({ c, change }: ActionProps) {
  const [version, setVersion] = useState<string>();
  const current = c.configuration?.version ?? '';
  return (
    <Action title="Upgrade" submitLabel="Upgrade" onSubmit={() => change({ version: version ?? current })}>
      <Field label="Qdrant version">{(id) => <input id={id} value={version ?? current} onChange={(e) => setVersion(e.target.value)} />}</Field>
    </Action>
  );
}

function ExposeAction({ c, change }: ActionProps) {
  const [type, setType] = useState<string>();
  const current = serviceTypeName(c.configuration?.serviceType);
  return (
    <Action title="Expose" submitLabel="Save exposure" onSubmit={() => change({ serviceType: serviceTypeOf(type ?? current) })}>
      <SelectField label="Service type" value={type ?? current} options={SERVICE_TYPE_CHOICES.map(([n]) => n)} onChange={setType} />
    </Action>
  );
}

/** Everything a user can do to a cluster that is not being deleted, each its own small form. */
export function ClusterActions({ c, onChanged }: { c: Cluster; onChanged: () => void }) {
  const ids = { accountId: accountId(), clusterId: c.id };
  const change: Change = async (patch) => {
    await clustersApi.updateCluster({
      cluster: { ...c, configuration: { ...c.configuration!, ...patch } },
      updateMask: { paths: Object.keys(patch).map((k) => `configuration.${snake(k)}`) },
    });
    onChanged();
  };
  const suspended = isSuspended(c);
  const [canWrite, canDelete] = [useCan('write:clusters'), useCan('delete:clusters')];
  if (!canWrite && !canDelete) return null;
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {canWrite && (
        <div className="actions-grid">
          <ScaleAction c={c} change={change} />
          <PackageAction c={c} change={change} />
          <UpgradeAction c={c} change={change} />
          <ExposeAction c={c} change={change} />
          <Action title="Restart" submitLabel="Restart all nodes" onSubmit={() => clustersApi.restartCluster(ids)}>
            <p>One node at a time.</p>
          </Action>
          <Action
            title={suspended ? 'Resume' : 'Suspend'}
            submitLabel={suspended ? 'Resume' : 'Suspend'}
            onSubmit={async () => (suspended ? await clustersApi.unsuspendCluster(ids) : await clustersApi.suspendCluster(ids), onChanged())}
          >
            <p>{suspended ? 'Start the nodes again on their volumes.' : 'Stop every node; the volumes stay.'}</p>
          </Action>
          <ConfigurationAction c={c} onChanged={onChanged} />
        </div>
      )}
      {canDelete && <ConfirmDelete what="cluster" name={c.name} onConfirm={async () => (await clustersApi.deleteCluster(ids), navigate('/clusters'))} />}
    </section>
  );
}
