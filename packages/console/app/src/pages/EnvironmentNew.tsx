import { useState } from 'react';
import { accountId } from '../api.ts';
import { environmentAgentApi, environmentsApi } from '../clients.ts';
import { navigate } from '../router.tsx';
import { ConfigurationEditor, useConfigurationProblems } from '../components/ConfigurationEditor.tsx';
import { CheckboxField, ErrorBox, Field } from '../components/ui.tsx';
import { parseConfiguration, STARTER_CONFIGURATION } from '../lib/message-yaml.ts';

interface Form {
  name: string;
  configuration: string;
  /** Pull credentials for the container registry: write-only, the API never shows the password back. */
  registryUsername: string;
  registryPassword: string;
}

const empty: Form = { name: '', configuration: STARTER_CONFIGURATION, registryUsername: '', registryPassword: '' };

/** The login of a private registry: kept for the environment, never part of its configuration. */
export function RegistryLoginFields({ form, set }: { form: Pick<Form, 'registryUsername' | 'registryPassword'>; set: (patch: Partial<Form>) => void }) {
  return (
    <fieldset>
      <legend>Registry login</legend>
      <Field label="Registry username" hint="For a private registry: fills the pull Secret of the installation and of every later change">
        {(id, h) => <input id={id} aria-describedby={h} value={form.registryUsername} onChange={(e) => set({ registryUsername: e.target.value })} />}
      </Field>
      <Field label="Registry password" hint="Write-only: stored for the environment, never shown again">
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
    </fieldset>
  );
}

async function create(form: Form): Promise<string> {
  const { configuration } = parseConfiguration(form.configuration);
  const created = await environmentsApi.createHybridCloudEnvironment({
    hybridCloudEnvironment: { accountId: accountId(), name: form.name.trim(), ...(configuration ? { configuration } : {}) },
  });
  const id = created.hybridCloudEnvironment!.id;
  // Both or neither: the API refuses half a login, and a password is never trimmed.
  if (form.registryUsername.trim() || form.registryPassword)
    await environmentAgentApi.setRegistryCredentials({
      accountId: accountId(),
      hybridCloudEnvironmentId: id,
      username: form.registryUsername.trim(),
      password: form.registryPassword,
    });
  return id;
}

export default function EnvironmentNew() {
  const [form, setForm] = useState<Form>(empty);
  const [login, setLogin] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const problems = useConfigurationProblems(form.configuration);

  const submit = async () => {
    setBusy(true);
    try {
      navigate(`/environments/${encodeURIComponent(await create(form))}`);
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
        <Field label="Name" hint="Letters, digits, '-' and '_', e.g. eu-prod">
          {(id, h) => <input id={id} aria-describedby={h} value={form.name} onChange={(e) => set({ name: e.target.value })} required autoComplete="off" />}
        </Field>
        <ConfigurationEditor value={form.configuration} onChange={(configuration) => set({ configuration })} problems={problems} />
        <CheckboxField label="Use a private registry login" checked={login} onChange={setLogin} />
        {login && <RegistryLoginFields form={form} set={set} />}
        <ErrorBox error={error} />
        <button className="button primary" type="submit" disabled={busy || problems.length > 0}>
          {busy ? 'Creating…' : 'Create environment'}
        </button>
      </form>
    </section>
  );
}
