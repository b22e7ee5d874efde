import { useState } from 'react';
import { accountId } from '../../api.ts';
import { environmentAgentApi } from '../../clients.ts';
import { Field, ErrorBox } from '../../components/ui.tsx';
import { usePoll } from '../../poll.ts';
import { upgradeAvailable } from '../../lib/status.ts';
import { LATEST_VERSION } from '../../types.ts';
import { MissingPermission, useCan } from '../../components/permissions.tsx';

const upgradeNote = (wanted: string) => upgradeAvailable(wanted, LATEST_VERSION) && <span className="note"> · upgrade to {LATEST_VERSION} available</span>;

/** The agent's and operator's versions (wanted and running), and the form that upgrades them. */
export function Versions({ environment }: { environment: string }) {
  const request = { accountId: accountId(), hybridCloudEnvironmentId: environment };
  const polled = usePoll(async () => (await environmentAgentApi.getEnvironmentVersions(request)).versions, [environment], 5000);
  const [agentVersion, setAgent] = useState<string>();
  const [operatorVersion, setOperator] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const v = polled.data;
  const canWrite = useCan('write:hybrid_cloud_environments');
  if (!v) return <ErrorBox error={polled.error} />;
  const agent = agentVersion ?? v.agent?.desired ?? '';
  const operator = operatorVersion ?? v.operator?.desired ?? '';
  return (
    <form
      className="panel"
      aria-labelledby="versions-heading"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await environmentAgentApi.updateEnvironmentVersions({ ...request, agentVersion: agent, operatorVersion: operator });
          setError(undefined);
          setSaved(true);
          await polled.reload();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2 id="versions-heading">Versions</h2>
      <p>
        Agent: {v.agent?.reported ? `${v.agent.reported} running` : 'not reporting'}; wanted {v.agent?.desired}
        {upgradeNote(v.agent?.desired ?? LATEST_VERSION)}. Operator: {v.operator?.reported ? `${v.operator.reported} running` : 'not reporting'}; wanted{' '}
        {v.operator?.desired}
        {upgradeNote(v.operator?.desired ?? LATEST_VERSION)}.
      </p>
      <p>The agent applies a new version itself; no new installation command is needed.</p>
      <Field label="Agent version">{(id) => <input id={id} value={agent} onChange={(e) => (setAgent(e.target.value), setSaved(false))} />}</Field>
      <Field label="Operator version">{(id) => <input id={id} value={operator} onChange={(e) => (setOperator(e.target.value), setSaved(false))} />}</Field>
      <ErrorBox error={error} />
      {saved && <p role="status">Saved; the agent rolls it out.</p>}
      <button className="button" type="submit" disabled={!canWrite || (agent === v.agent?.desired && operator === v.operator?.desired)}>
        Upgrade
      </button>
      <MissingPermission needed="write:hybrid_cloud_environments" />
    </form>
  );
}
