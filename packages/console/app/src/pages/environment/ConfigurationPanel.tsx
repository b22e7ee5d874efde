import { useState } from 'react';
import { environmentsApi } from '../../clients.ts';
import { ConfigurationEditor, useConfigurationProblems } from '../../components/ConfigurationEditor.tsx';
import { ErrorBox } from '../../components/ui.tsx';
import { configurationToYaml, parseConfiguration } from '../../lib/message-yaml.ts';
import type { Environment } from '../../types.ts';
import { MissingPermission, useCan } from '../../components/permissions.tsx';

/** The environment's configuration, edited as YAML and saved whole; the server validates it and names the field it refuses. */
export function ConfigurationPanel({ environment, onSaved }: { environment: Environment; onSaved: () => void }) {
  const [text, setText] = useState(() => configurationToYaml(environment.configuration));
  const problems = useConfigurationProblems(text);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const canWrite = useCan('write:hybrid_cloud_environments');
  return (
    <form
      className="panel"
      aria-labelledby="configuration-heading"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          const { configuration } = parseConfiguration(text);
          await environmentsApi.updateHybridCloudEnvironment({
            hybridCloudEnvironment: { ...environment, ...(configuration ? { configuration } : {}) },
            updateMask: { paths: ['configuration'] },
          });
          setError(undefined);
          setSaved(true);
          onSaved();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2 id="configuration-heading">Configuration</h2>
      <ConfigurationEditor value={text} onChange={(t) => (setText(t), setSaved(false))} problems={problems} />
      <ErrorBox error={error} />
      {saved && <p role="status">Saved; the agent applies the new configuration.</p>}
      <button className="button" type="submit" disabled={problems.length > 0 || !canWrite}>
        Save configuration
      </button>
      <MissingPermission needed="write:hybrid_cloud_environments" />
    </form>
  );
}
