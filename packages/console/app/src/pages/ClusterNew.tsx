import { useState } from 'react';
import { accountId } from '../api.ts';
import { bookingApi, clustersApi } from '../clients.ts';
import { usePoll } from '../poll.ts';
import { navigate } from '../router.tsx';
import { ErrorBox, Field, SelectField } from '../components/ui.tsx';
import { packageLabel, SERVICE_TYPE_CHOICES, serviceTypeOf } from '../lib/clusters.ts';
import { HYBRID_PROVIDER, listEnvironments } from '../lib/environments.ts';
import type { Environment, Package } from '../types.ts';

interface Form {
  name: string;
  version: string;
  nodes: string;
  packageLabel: string;
  serviceType: string;
}

const initial: Form = { name: '', version: '', nodes: '1', packageLabel: '', serviceType: 'ClusterIP' };

/** The environment's packages and the Qdrant releases: what the form offers. */
function useChoices(environment: Environment | undefined) {
  const packages = usePoll(
    async () =>
      environment
        ? (await bookingApi.listPackages({ accountId: accountId(), cloudProviderId: HYBRID_PROVIDER, cloudProviderRegionId: environment.id })).items
        : [],
    [environment?.id],
    30_000,
  );
  const releases = usePoll(async () => (await clustersApi.listQdrantReleases({ accountId: accountId() })).items, [], 60_000);
  return { packages: packages.data ?? [], releases: releases.data ?? [], error: packages.error ?? releases.error };
}

async function create(environment: Environment, form: Form, pkg: Package | undefined): Promise<string> {
  const created = await clustersApi.createCluster({
    cluster: {
      accountId: accountId(),
      name: form.name.trim(),
      cloudProviderId: HYBRID_PROVIDER,
      cloudProviderRegionId: environment.id,
      configuration: {
        numberOfNodes: Number(form.nodes),
        packageId: pkg?.id ?? '',
        ...(form.version ? { version: form.version } : {}),
        serviceType: serviceTypeOf(form.serviceType),
      },
    },
  });
  return created.cluster!.id;
}

export default function ClusterNew() {
  const environments = usePoll(listEnvironments, [], 10_000);
  const [chosenName, setEnvironment] = useState(() => new URLSearchParams(location.search).get('environment') ?? '');
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const list = environments.data ?? [];
  const environment = list.find((e) => e.id === chosenName || e.name === chosenName) ?? list[0];
  const choices = useChoices(environment);
  const labels = choices.packages.map(packageLabel);
  const pkg = choices.packages.find((p) => packageLabel(p) === form.packageLabel) ?? choices.packages[0];
  const versions = choices.releases.filter((r) => !r.unavailable).map((r) => r.version);
  const version = form.version || choices.releases.find((r) => r.default)?.version || versions[0] || '';

  return (
    <section>
      <h1>Create a cluster</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            navigate(`/clusters/${encodeURIComponent(await create(environment!, { ...form, version }, pkg))}`);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <SelectField label="Environment" value={environment?.name ?? ''} options={list.map((e) => e.name)} onChange={setEnvironment} required />
        <Field label="Name" hint="Letters, digits, '-' and '_'; it can change later (the Kubernetes objects are named by the cluster's id)">
          {(id, h) => <input id={id} aria-describedby={h} value={form.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" />}
        </Field>
        <SelectField label="Qdrant version" value={version} options={versions} onChange={(v) => set({ version: v })} />
        <Field label="Nodes">{(id) => <input id={id} type="number" min={1} value={form.nodes} onChange={(e) => set({ nodes: e.target.value })} />}</Field>
        <SelectField
          label="Package"
          hint="The resources of each node"
          value={pkg ? packageLabel(pkg) : ''}
          options={labels}
          onChange={(chosen) => set({ packageLabel: chosen })}
          required
        />
        <SelectField
          label="Service type"
          value={form.serviceType}
          options={SERVICE_TYPE_CHOICES.map(([n]) => n)}
          onChange={(serviceType) => set({ serviceType })}
        />
        <p>Placement, storage classes, database settings and more: in the cluster's configuration once it exists.</p>
        <ErrorBox error={error ?? choices.error} title={error ? `Cluster "${form.name}" was not created` : undefined} />
        <button className="button primary" type="submit" disabled={busy || !environment}>
          {busy ? 'Creating…' : 'Create cluster'}
        </button>
      </form>
    </section>
  );
}
