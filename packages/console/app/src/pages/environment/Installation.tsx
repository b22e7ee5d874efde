import { useState } from 'react';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { qhcV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { environmentAgentApi } from '../../clients.ts';
import { Copy } from '../../components/dialogs.tsx';
import { ErrorBox } from '../../components/ui.tsx';
import { installExpiry } from '../../lib/status.ts';
import { MissingPermission, useCan } from '../../components/permissions.tsx';

/** The one-time installation command (and its Helm form), from qhc.v1's EnvironmentAgentService. */
export function Installation({ environment }: { environment: string }) {
  const [installation, setInstallation] = useState<qhcV1.Installation>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const canWrite = useCan('write:hybrid_cloud_environments');
  const generate = async () => {
    setBusy(true);
    try {
      setInstallation((await environmentAgentApi.createInstallation({ accountId: accountId(), hybridCloudEnvironmentId: environment })).installation);
      setError(undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const expiresAt = installation?.expiresAt ? timestampDate(installation.expiresAt).toISOString() : undefined;
  return (
    <section aria-labelledby="install-heading" className="panel">
      <h2 id="install-heading">Installation</h2>
      <p>
        Run the command where kubectl reaches the Kubernetes cluster, as cluster-admin. It creates the namespace, the agent's credentials and installs the agent
        and the operator. Its one-time token works once; a new command makes earlier unused ones stop working.
      </p>
      <button type="button" className="button primary" disabled={busy || !canWrite} onClick={() => void generate()}>
        Generate installation command
      </button>
      <MissingPermission needed="write:hybrid_cloud_environments" />
      <ErrorBox error={error} />
      {installation && (
        <div className="command">
          <p role="status">Shown once: copy it now.{expiresAt ? ` ${installExpiry(expiresAt)}` : ''}</p>
          <pre>
            <code aria-label="Installation command">{installation.command}</code>
          </pre>
          <Copy text={installation.command} label="Copy the installation command" />
          <p>Or the same installation with Helm, the chart from the environment's chart repository (same one-time token):</p>
          <pre>
            <code aria-label="Helm installation command">{installation.helmCommand}</code>
          </pre>
          <Copy text={installation.helmCommand} label="Copy the Helm installation command" />
        </div>
      )}
    </section>
  );
}
