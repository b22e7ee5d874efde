import { useState } from 'react';
import { QdrantClusterSpec, createParser } from '@qhc/schemas';
import { ApiError, listAll, request, regionPath } from '../api.ts';
import { usePoll } from '../poll.ts';
import { navigate } from '../router.tsx';
import { ErrorBox, Field, SelectField } from '../components/ui.tsx';
import { ClusterConfigFields } from '../components/ClusterConfigFields.tsx';
import { EMPTY_CONFIG } from '../lib/cluster-config.ts';
import { clusterBody, type ClusterForm } from '../lib/forms.ts';
import type { ClusterRecord, RegionRecord } from '../types.ts';

// The API's own check of the spec, before the round trip.
const clusterSpecParser = createParser(QdrantClusterSpec, 'cluster spec');

const initial: ClusterForm = { name: '', version: 'v1.16.2', nodes: '1', cpu: '1', memory: '1Gi', storage: '1Gi', ...EMPTY_CONFIG };

export default function ClusterNew() {
  const regions = usePoll(async () => ({ items: await listAll<RegionRecord>('/api/v1/regions') }), [], 10_000);
  const [environment, setEnvironment] = useState(() => new URLSearchParams(location.search).get('environment') ?? '');
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<ClusterForm>) => setForm((f) => ({ ...f, ...patch }));
  const chosen = environment || regions.data?.items[0]?.name || '';
  const region = regions.data?.items.find((r) => r.name === chosen);
  const policies = region?.spec.operatorSettings.settings.qdrant.networkPolicies;

  const text = (key: keyof ClusterForm, label: string, hint?: string, type = 'text') => (
    <Field label={label} hint={hint}>
      {(id, h) => (
        <input
          id={id}
          aria-describedby={h}
          type={type}
          min={type === 'number' ? 1 : undefined}
          value={form[key] as string}
          onChange={(e) => set({ [key]: e.target.value })}
        />
      )}
    </Field>
  );
  return (
    <section>
      <h1>Create a cluster</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const body = clusterBody(form);
          const check = clusterSpecParser.safeValidate({ ...body.spec, id: body.name || 'x' });
          if (!check.success) return setError(new ApiError(0, 'Invalid', check.error.message, check.error.problems));
          setBusy(true);
          try {
            const created = await request<ClusterRecord>('POST', regionPath(chosen, 'clusters'), body);
            navigate(`/environments/${encodeURIComponent(chosen)}/clusters/${encodeURIComponent(created.name)}`);
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <SelectField label="Environment" value={chosen} options={regions.data?.items.map((r) => r.name) ?? []} onChange={setEnvironment} required />
        {text('name', 'Name', "Lowercase letters, digits and '-'; the Kubernetes objects are named qdrant-<name>")}
        {text('version', 'Qdrant version', 'e.g. v1.16.2')}
        {text('nodes', 'Nodes', undefined, 'number')}
        <fieldset>
          <legend>Resources per node</legend>
          {text('cpu', 'CPU', 'e.g. 1, 500m')}
          {text('memory', 'Memory', 'e.g. 4Gi')}
          {text('storage', 'Storage', 'e.g. 20Gi; can grow later if the storage class allows expansion')}
        </fieldset>
        <ClusterConfigFields form={form} set={set} />
        <fieldset>
          <legend>Network policies</legend>
          <p>
            The database pods talk only to each other and the operator, plus the environment's rules: {policies?.ingress?.length ?? 0} ingress and{' '}
            {policies?.egress?.length ?? 0} egress rule(s). Change them in the environment's operator settings.
          </p>
        </fieldset>
        <ErrorBox error={error} title={`Cluster "${form.name}" was not created`} />
        <button className="button primary" type="submit" disabled={busy || !chosen}>
          {busy ? 'Creating…' : 'Create cluster'}
        </button>
      </form>
    </section>
  );
}
