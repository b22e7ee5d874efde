import { CheckboxField, Field, SelectField } from './ui.tsx';
import { IMMUTABLE_REASONS, SERVICE_TYPES } from '../lib/options.ts';
import { REBALANCE_CHOICES, type ClusterConfigForm, type Rebalance } from '../lib/cluster-config.ts';

type SetForm = (patch: Partial<ClusterConfigForm>) => void;

/** A text input and a textarea bound to one key of the form. */
function fieldsOf(form: ClusterConfigForm, set: SetForm) {
  const text = (key: keyof ClusterConfigForm, label: string, hint?: string, readOnly?: boolean) => (
    <Field label={label} hint={hint}>
      {(id, h) => <input id={id} aria-describedby={h} value={form[key] as string} readOnly={readOnly} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  const area = (key: keyof ClusterConfigForm, label: string, hint: string) => (
    <Field label={label} hint={hint}>
      {(id, h) => <textarea id={id} aria-describedby={h} rows={2} value={form[key] as string} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  return { text, area };
}

/**
 * The cluster's configuration fields, on the create form and, for a change, on the cluster's
 * page. `existing`: the cluster exists, so the fields Kubernetes fixes at creation are shown
 * read-only with the reason.
 */
export function ClusterConfigFields({ form, set, existing }: { form: ClusterConfigForm; set: SetForm; existing?: boolean }) {
  const { text, area } = fieldsOf(form, set);
  return (
    <>
      <fieldset>
        <legend>Placement</legend>
        {area('nodeSelector', 'Node selector', 'One node label per line, key=value: the nodes run only where all are set')}
        {area(
          'tolerations',
          'Tolerations',
          'One per line: key=value:Effect, or key:Effect for any value, * for any key (Effect: NoSchedule, PreferNoSchedule, NoExecute); a trailing :seconds is how long a NoExecute taint is tolerated',
        )}
      </fieldset>
      <fieldset>
        <legend>Exposure</legend>
        <SelectField label="Service type" value={form.serviceType} options={SERVICE_TYPES} onChange={(serviceType) => set({ serviceType })} />
        {area('serviceAnnotations', 'Service annotations', 'One per line, key=value, e.g. for a cloud load balancer')}
        <CheckboxField label="Create an ingress" checked={form.ingressEnabled} onChange={(ingressEnabled) => set({ ingressEnabled })} />
        {form.ingressEnabled && (
          <>
            {text('ingressHost', 'Ingress host', 'e.g. qdrant.example.com')}
            {text('ingressClass', 'Ingress class', "The IngressClass; empty: the cluster's default")}
            <CheckboxField label="Ingress TLS" checked={form.ingressTls} onChange={(ingressTls) => set({ ingressTls })} />
            {form.ingressTls && text('ingressTlsSecret', 'TLS secret', 'The Secret holding the certificate, in the namespace')}
            {area('ingressAnnotations', 'Ingress annotations', 'One per line, key=value')}
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>Storage</legend>
        {text(
          'storageClass',
          'Storage class',
          existing ? `Cannot change: ${IMMUTABLE_REASONS.storageClass}` : "The StorageClass of the database volumes; empty: the environment's default",
          existing,
        )}
        {text('volumeSnapshotClass', 'Volume snapshot class', "The VolumeSnapshotClass of this cluster's backups; empty: the environment's")}
      </fieldset>
      <fieldset>
        <legend>Database</legend>
        {text('logLevel', 'Log level', "Qdrant's log level, e.g. INFO, DEBUG or debug,actix=warn; empty: the environment's default")}
        <SelectField
          label="Rebalance shards (cluster manager)"
          hint="default: the environment's setting (operator settings clusterManager.enable); on or off: this cluster's own"
          value={form.rebalance}
          options={REBALANCE_CHOICES}
          onChange={(rebalance) => set({ rebalance: rebalance as Rebalance })}
        />
      </fieldset>
      <fieldset>
        <legend>Authentication</legend>
        {text(
          'apiKeySecretName',
          'API key secret',
          'A Kubernetes Secret in the namespace, e.g. made with kubectl create secret generic qdrant-api-key --from-literal=api-key=…',
        )}
        {text('apiKeySecretKey', 'Key in the secret')}
        {text('readOnlyApiKeySecretName', 'Read-only API key secret', 'A Secret in the namespace holding the read-only key')}
        {text('readOnlyApiKeySecretKey', 'Key in the read-only secret')}
      </fieldset>
    </>
  );
}
