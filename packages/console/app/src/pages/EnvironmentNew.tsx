import { lazy, Suspense, useDeferredValue, useMemo, useState } from 'react';
import { safeParseOperatorSettings, safeValidateRegion, type Problem } from '@qhc/schemas';
import { ApiError, request } from '../api.ts';
import { navigate } from '../router.tsx';
import { CheckboxField, ErrorBox, Field, SelectField } from '../components/ui.tsx';
import { LOG_LEVELS } from '../lib/options.ts';
import { describeProblem, problemsToDiagnostics } from '../lib/problems.ts';
import { regionBody, type RegionForm } from '../lib/forms.ts';
import { LATEST_VERSION, type RegionRecord } from '../types.ts';

const YamlEditor = lazy(() => import('../components/YamlEditor.tsx'));

export const STARTER_SETTINGS = `# Configuration for the Qdrant operator
settings:
  # Retention for the backup history of Qdrant clusters
  backupHistoryRetentionDays: 2
  qdrant:
    networkPolicies:
      # Allow DNS resolution from qdrant pods at Kubernetes internal DNS server
      egress:
        - to:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: kube-system
          ports:
            - protocol: UDP
              port: 53
`;

const empty: RegionForm = {
  name: '',
  namespace: 'qdrant',
  agentVersion: LATEST_VERSION,
  operatorVersion: LATEST_VERSION,
  settingsYaml: STARTER_SETTINGS,
  httpProxy: '',
  httpsProxy: '',
  noProxy: '',
  containerRegistryUrl: '',
  chartRepositoryUrl: '',
  caCertificate: '',
  registryUsername: '',
  registryPassword: '',
  operatorLogLevel: 'INFO',
  agentLogLevel: 'INFO',
};

export function useSettingsProblems(text: string): Problem[] {
  const deferred = useDeferredValue(text);
  return useMemo(() => {
    if (!deferred.trim()) return [];
    const parsed = safeParseOperatorSettings(deferred, { source: 'operatorSettings' });
    return parsed.success ? [] : [...parsed.error.problems];
  }, [deferred]);
}

export function SettingsEditor({ value, onChange, problems }: { value: string; onChange: (v: string) => void; problems: Problem[] }) {
  const diagnostics = useMemo(() => problemsToDiagnostics(value, problems), [value, problems]);
  return (
    <div className="field">
      <span className="label" id="settings-label">
        Operator settings (YAML)
      </span>
      <Suspense fallback={<p role="status">Loading the editor…</p>}>
        <YamlEditor value={value} onChange={onChange} diagnostics={diagnostics} labelledBy="settings-label" describedBy="settings-problems" />
      </Suspense>
      <div id="settings-problems" aria-live="polite">
        {problems.length > 0 ? (
          <ul className="problems" aria-label="Problems in the operator settings">
            {problems.map((p, i) => (
              <li key={i}>{describeProblem(p)}</li>
            ))}
          </ul>
        ) : (
          <p className="hint">The settings are valid.</p>
        )}
      </div>
    </div>
  );
}

export function AdvancedFields({ form, set }: { form: RegionForm; set: (patch: Partial<RegionForm>) => void }) {
  const text = (key: keyof RegionForm, label: string, hint?: string, placeholder?: string) => (
    <Field label={label} hint={hint}>
      {(id, h) => <input id={id} aria-describedby={h} value={form[key] as string} placeholder={placeholder} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  const level = (key: 'operatorLogLevel' | 'agentLogLevel', label: string) => (
    <SelectField label={label} value={form[key]} options={LOG_LEVELS} onChange={(value) => set({ [key]: value })} />
  );
  return (
    <fieldset>
      <legend>Advanced configuration</legend>
      {text('httpProxy', 'HTTP proxy', undefined, 'http://proxy.internal:3128')}
      {text('httpsProxy', 'HTTPS proxy', undefined, 'http://proxy.internal:3128')}
      {text('noProxy', 'No proxy for', 'Hosts, .domains, IPs or CIDRs, separated by commas')}
      {text('containerRegistryUrl', 'Container registry URL', "Default: where this qhc release is published (or the control plane's --default-registry)")}
      {text('chartRepositoryUrl', 'Helm chart repository URL', "Default: the release's chart repository (or <default registry>/charts)")}
      {text('registryUsername', 'Registry username', 'For a private registry: fills the pull Secret of the installation and of every later change')}
      <Field label="Registry password" hint="Write-only: stored for the region, never shown again">
        {(id, h) => (
          <input
            id={id}
            aria-describedby={h}
            type="password"
            autoComplete="new-password"
            value={form.registryPassword}
            onChange={(e) => set({ registryPassword: e.target.value })}
          />
        )}
      </Field>
      <Field label="CA certificate (PEM)" hint="The CA that signed this control plane's or your proxy's certificate">
        {(id, h) => <textarea id={id} aria-describedby={h} rows={4} value={form.caCertificate} onChange={(e) => set({ caCertificate: e.target.value })} />}
      </Field>
      {level('operatorLogLevel', 'Operator log level')}
      {level('agentLogLevel', 'Agent log level')}
    </fieldset>
  );
}

export default function EnvironmentNew() {
  const [form, setForm] = useState<RegionForm>(empty);
  const [advanced, setAdvanced] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RegionForm>) => setForm((f) => ({ ...f, ...patch }));
  const settingsProblems = useSettingsProblems(form.settingsYaml);

  const submit = async () => {
    const body = regionBody(form);
    const { registryCredentials: _login, ...region } = body;
    const settings = body.operatorSettings ? safeParseOperatorSettings(body.operatorSettings) : undefined;
    // The same validation as the API's, before the round trip; the API checks again. The login
    // travels beside the region, not in it (it is never part of what the API shows).
    const check = safeValidateRegion({ ...region, operatorSettings: settings?.success ? settings.data : undefined });
    if (!check.success) return setError(new ApiError(0, 'Invalid', check.error.message, check.error.problems));
    setBusy(true);
    try {
      const created = await request<RegionRecord>('POST', '/api/v1/regions', body);
      navigate(`/environments/${encodeURIComponent(created.name)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Create a Hybrid Cloud environment</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="Name" hint="Lowercase letters, digits and '-', e.g. eu-prod">
          {(id, h) => <input id={id} aria-describedby={h} value={form.name} onChange={(e) => set({ name: e.target.value })} required autoComplete="off" />}
        </Field>
        <Field label="Kubernetes namespace" hint="Where the operator and agent run. It cannot change once the environment is created.">
          {(id, h) => <input id={id} aria-describedby={h} value={form.namespace} onChange={(e) => set({ namespace: e.target.value })} required />}
        </Field>
        <Field label="Agent version">
          {(id) => <input id={id} value={form.agentVersion} onChange={(e) => set({ agentVersion: e.target.value })} required />}
        </Field>
        <Field label="Operator version">
          {(id) => <input id={id} value={form.operatorVersion} onChange={(e) => set({ operatorVersion: e.target.value })} required />}
        </Field>
        <SettingsEditor value={form.settingsYaml} onChange={(settingsYaml) => set({ settingsYaml })} problems={settingsProblems} />
        <CheckboxField label="Show advanced configuration" checked={advanced} onChange={setAdvanced} />
        {advanced && <AdvancedFields form={form} set={set} />}
        <ErrorBox error={error} />
        <button className="button primary" type="submit" disabled={busy || settingsProblems.length > 0}>
          {busy ? 'Creating…' : 'Create environment'}
        </button>
      </form>
    </section>
  );
}
