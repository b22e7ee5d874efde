import { useState } from 'react';
import { clusterV1 } from '@qhc/cloud-api';
import { clustersApi } from '../../clients.ts';
import { ConfigurationEditor, useConfigurationProblems } from '../../components/ConfigurationEditor.tsx';
import { messageToYaml, parseMessageYaml } from '../../lib/message-yaml.ts';
import type { Cluster } from '../../types.ts';
import { Action } from './Action.tsx';

const Schema = clusterV1.ClusterConfigurationSchema;

/**
 * The whole configuration (ClusterConfiguration in its JSON form, as YAML): placement, service,
 * storage classes, database settings. Saved whole; the server names the field it refuses.
 */
export function ConfigurationAction({ c, onChanged }: { c: Cluster; onChanged: () => void }) {
  const [text, setText] = useState<string>();
  const shown = text ?? messageToYaml(Schema, c.configuration);
  const problems = useConfigurationProblems(shown, Schema);
  const save = async () => {
    const { message } = parseMessageYaml(Schema, shown);
    await clustersApi.updateCluster({ cluster: { ...c, ...(message ? { configuration: message } : {}) }, updateMask: { paths: ['configuration'] } });
    setText(undefined);
    onChanged();
  };
  return (
    <Action wide title="Configuration" submitLabel="Save configuration" onSubmit={save} disabled={problems.length > 0}>
      <ConfigurationEditor id="cluster-configuration" label="Cluster configuration (YAML)" value={shown} onChange={setText} problems={problems} />
    </Action>
  );
}
