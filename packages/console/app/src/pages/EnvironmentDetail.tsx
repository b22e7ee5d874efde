import { useState } from 'react';
import { stringify } from 'yaml';
import { pages, request, regionPath } from '../api.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { Link, navigate } from '../router.tsx';
import { ConfirmDelete, Copy } from '../components/dialogs.tsx';
import { Badge, ErrorBox, Field, LoadMore, Loading, Table } from '../components/ui.tsx';
import { formatAge, installExpiry, operatorSettingsCondition, regionStatus, upgradeAvailable } from '../lib/status.ts';
import { LATEST_VERSION, type ClusterRecord, type RegionRecord } from '../types.ts';
import type { RegionHealth } from '@qhc/schemas';
import { SettingsEditor, useSettingsProblems } from './EnvironmentNew.tsx';

function Installation({ region }: { region: string }) {
  const [command, setCommand] = useState<{ command: string; helmCommand: string; expiresAt?: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="install-heading" className="panel">
      <h2 id="install-heading">Installation</h2>
      <p>
        Run the command where kubectl reaches the Kubernetes cluster, as cluster-admin. It creates the namespace, the agent's credentials and installs the agent
        and the operator. Its one-time token works once; a new command makes earlier unused ones stop working.
      </p>
      <button
        type="button"
        className="button primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            setCommand(await request<{ command: string; helmCommand: string; expiresAt?: string }>('POST', regionPath(region, 'installation')));
            setError(undefined);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        Generate installation command
      </button>
      <ErrorBox error={error} />
      {command && (
        <div className="command">
          <p role="status">Shown once: copy it now.{command.expiresAt ? ` ${installExpiry(command.expiresAt)}` : ''}</p>
          <pre>
            <code aria-label="Installation command">{command.command}</code>
          </pre>
          <Copy text={command.command} label="Copy the installation command" />
          <p>Or the same installation with Helm, the chart from the environment's chart repository (same one-time token):</p>
          <pre>
            <code aria-label="Helm installation command">{command.helmCommand}</code>
          </pre>
          <Copy text={command.helmCommand} label="Copy the Helm installation command" />
        </div>
      )}
    </section>
  );
}

function Versions({ region, onSaved }: { region: RegionRecord; onSaved: () => void }) {
  const [agentVersion, setAgent] = useState(region.spec.agentVersion);
  const [operatorVersion, setOperator] = useState(region.spec.operatorVersion);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="panel"
      aria-labelledby="versions-heading"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await request('PUT', regionPath(region.name), { ...region.spec, agentVersion, operatorVersion });
          setError(undefined);
          setSaved(true);
          onSaved();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2 id="versions-heading">Versions</h2>
      <p>The agent applies a new version itself; no new installation command is needed.</p>
      <Field label="Agent version">{(id) => <input id={id} value={agentVersion} onChange={(e) => (setAgent(e.target.value), setSaved(false))} />}</Field>
      <Field label="Operator version">
        {(id) => <input id={id} value={operatorVersion} onChange={(e) => (setOperator(e.target.value), setSaved(false))} />}
      </Field>
      <ErrorBox error={error} />
      {saved && <p role="status">Saved; the agent rolls it out.</p>}
      <button className="button" type="submit" disabled={agentVersion === region.spec.agentVersion && operatorVersion === region.spec.operatorVersion}>
        Upgrade
      </button>
    </form>
  );
}

function Settings({ region, onSaved }: { region: RegionRecord; onSaved: () => void }) {
  const [text, setText] = useState(() => stringify(region.spec.operatorSettings));
  const problems = useSettingsProblems(text);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="panel"
      aria-labelledby="settings-heading"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await request('PUT', regionPath(region.name), { ...region.spec, operatorSettings: text });
          setError(undefined);
          setSaved(true);
          onSaved();
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2 id="settings-heading">Operator settings</h2>
      <SettingsEditor value={text} onChange={(t) => (setText(t), setSaved(false))} problems={problems} />
      <ErrorBox error={error} />
      {saved && <p role="status">Saved; the agent applies the new settings.</p>}
      <button className="button" type="submit" disabled={problems.length > 0}>
        Save settings
      </button>
    </form>
  );
}

/** Whether the operator accepted the settings it was sent; a refused file is shown with the operator's reason (field and line). */
function OperatorSettingsFact({ region }: { region: RegionRecord }) {
  const condition = operatorSettingsCondition(region);
  if (!condition) return <dd>not reported yet</dd>;
  if (condition.status === 'True') return <dd>in force</dd>;
  return (
    <dd>
      <Badge value="NotReady" label="Refused" />{' '}
      <span role="alert" aria-label="Operator settings refused">
        {condition.message}
      </span>{' '}
      <span className="note">
        ({condition.lastTransitionTime ? `since ${formatAge(Date.now() - Date.parse(condition.lastTransitionTime))} ago; ` : ''}the previous settings stay in
        force until valid ones arrive)
      </span>
    </dd>
  );
}

/** The region's health as its agent reports it: what clusters and backups can rely on. */
function Health({ region }: { region: RegionRecord }) {
  const health = (region.status as { health?: RegionHealth } | undefined)?.health;
  return (
    <section className="panel" aria-labelledby="health-heading">
      <h2 id="health-heading">Region health</h2>
      {!health ? (
        <p>Not reported yet: the agent reports it once it runs.</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Kubernetes</dt>
            <dd>
              {health.kubernetes.version} ({health.kubernetes.distribution}), {health.nodes.count} node(s)
            </dd>
            <dt>Clusters</dt>
            <dd>{health.canCreateClusters ? 'can be created' : `cannot be created: ${health.reason}`}</dd>
            <dt>Volume expansion</dt>
            <dd>{health.capabilities.volumeExpansion ? 'yes' : "no: clusters' storage cannot grow"}</dd>
            <dt>Volume snapshots</dt>
            <dd>{health.capabilities.volumeSnapshot ? 'yes' : 'no: backups cannot be taken'}</dd>
            <dt>Components</dt>
            <dd>
              {health.components
                .map((c) => `${c.name} ${c.version ?? ''} ${c.ready ? 'ready' : `not ready (${c.message ?? 'unknown'})`}`.replace(/\s+/g, ' '))
                .join('; ')}
            </dd>
            <dt>Reported</dt>
            <dd>{formatAge(Date.now() - Date.parse(health.collectedAt))} ago</dd>
          </dl>
          <Table caption="Storage classes" columns={['Storage class', 'Provisioner', 'Default', 'Expansion', 'Reclaim policy']}>
            {health.storageClasses.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.provisioner}</td>
                <td>{c.default ? 'yes' : 'no'}</td>
                <td>{c.allowVolumeExpansion ? 'yes' : 'no'}</td>
                <td>{c.reclaimPolicy}</td>
              </tr>
            ))}
          </Table>
          <Table caption="Volume snapshot classes" columns={['Snapshot class', 'Driver', 'Default', 'Deletion policy']}>
            {health.volumeSnapshotClasses.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.driver}</td>
                <td>{c.default ? 'yes' : 'no'}</td>
                <td>{c.deletionPolicy}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}

export default function EnvironmentDetail({ region: name }: { region: string }) {
  const region = usePoll(() => request<RegionRecord>('GET', regionPath(name)), [name]);
  const clusters = usePagedPoll(pages<ClusterRecord>(regionPath(name, 'clusters')), [name]);
  const r = region.data;
  if (!r) return region.error ? <ErrorBox error={region.error} /> : <Loading what={`environment ${name}`} />;
  const s = regionStatus(r);
  return (
    <section>
      <div className="title">
        <h1>Environment {r.name}</h1>
        <Badge value={s.connection === 'connected' ? 'Ready' : s.connection === 'never' ? undefined : 'NotReady'} label={s.label} />
      </div>
      <dl className="facts">
        <dt>Kubernetes namespace</dt>
        <dd>
          {r.spec.namespace} <span className="note">(cannot change)</span>
        </dd>
        <dt>Agent</dt>
        <dd>
          {s.agentVersion ? `${s.agentVersion} running` : 'not reporting'}; wanted {r.spec.agentVersion}
          {upgradeAvailable(r.spec.agentVersion, LATEST_VERSION) && <span className="note"> · upgrade to {LATEST_VERSION} available</span>}
        </dd>
        <dt>Operator</dt>
        <dd>
          {s.operatorVersion ? `${s.operatorVersion} running` : 'not reporting'}; wanted {r.spec.operatorVersion}
          {upgradeAvailable(r.spec.operatorVersion, LATEST_VERSION) && <span className="note"> · upgrade to {LATEST_VERSION} available</span>}
        </dd>
        <dt>Container registry</dt>
        <dd>
          {r.spec.advanced?.containerRegistryUrl ?? 'the release default'}
          {r.registryCredentials ? ` · pull login ${r.registryCredentials.username} (password write-only)` : ' · no pull login'}
        </dd>
        <dt>Operator settings</dt>
        <OperatorSettingsFact region={r} />
        <dt>Last seen</dt>
        <dd>{r.lastSeenAt ? `${formatAge(Date.now() - Date.parse(r.lastSeenAt))} ago` : 'never'}</dd>
        <dt>Applied revision</dt>
        <dd>
          {r.appliedRevision ?? '—'} of {r.revision}
        </dd>
        <InstallationState status={r.status} />
      </dl>
      <Health region={r} />
      <Installation region={r.name} />
      <section className="panel" aria-labelledby="clusters-heading">
        <div className="title">
          <h2 id="clusters-heading">Clusters</h2>
          <Link className="button" href={`/clusters/new?environment=${encodeURIComponent(r.name)}`}>
            Create cluster
          </Link>
        </div>
        {clusters.data?.items.length ? (
          <ul>
            {clusters.data.items.map((c) => (
              <li key={c.id}>
                <Link href={`/environments/${encodeURIComponent(r.name)}/clusters/${encodeURIComponent(c.name)}`}>{c.name}</Link>{' '}
                <Badge value={c.deletedAt ? 'Deleting' : c.status?.phase} />
              </li>
            ))}
          </ul>
        ) : (
          <p>No clusters in this environment.</p>
        )}
        {clusters.data && <LoadMore more={clusters.data.more} what="clusters" onMore={clusters.loadMore} />}
      </section>
      <Versions region={r} onSaved={() => void region.reload()} />
      <Settings region={r} onSaved={() => void region.reload()} />
      <ConfirmDelete what="environment" name={r.name} onConfirm={async () => (await request('DELETE', regionPath(r.name)), navigate('/environments'))} />
    </section>
  );
}

/** Who keeps the installation current, as the agent reports it; a Helm release out of date says which command to run. */
function InstallationState({ status }: { status: unknown }) {
  const installation = (status as { installation?: { managedBy?: string; upToDate?: boolean; message?: string } } | undefined)?.installation;
  if (!installation) return null;
  const who = installation.managedBy === 'Helm' ? 'Helm' : installation.managedBy === 'agent' ? 'the agent' : 'nobody (no installation found)';
  return (
    <>
      <dt>Installation</dt>
      <dd>
        managed by {who}; {installation.upToDate ? 'up to date' : 'out of date'}
        {!installation.upToDate && installation.message && (
          <p className="note" role="alert">
            {installation.message}
          </p>
        )}
      </dd>
    </>
  );
}
