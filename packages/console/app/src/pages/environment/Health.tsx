import { timestampMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import { hybridV1, type qhcV1 } from '@qhc/cloud-api';
import { Badge, Table } from '../../components/ui.tsx';
import { enumName, formatAge, operatorSettingsCondition } from '../../lib/status.ts';
import type { Environment } from '../../types.ts';

const ago = (t: Timestamp | undefined) => (t ? `${formatAge(Date.now() - timestampMs(t))} ago` : 'never');

/** Whether the operator accepted the settings it was sent; a refused file is shown with the operator's reason (field and line). */
function OperatorSettingsFact({ health }: { health: qhcV1.EnvironmentHealth | undefined }) {
  const condition = operatorSettingsCondition({ status: health?.report });
  if (!condition) return <dd>not reported yet</dd>;
  if (condition.status === 'True') return <dd>in force</dd>;
  return (
    <dd>
      <Badge value="NotReady" label="Refused" />{' '}
      <span role="alert" aria-label="Operator settings refused">
        {condition.message}
      </span>{' '}
      <span className="note">(the previous settings stay in force until valid ones arrive)</span>
    </dd>
  );
}

/** Who keeps the installation current, as the agent reports it; a Helm release out of date says which command to run. */
function InstallationFact({ installation }: { installation: qhcV1.InstallationState | undefined }) {
  if (!installation?.managedBy) return null;
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

/** What the agent last reported: the facts of the environment's connection and installation. */
export function AgentFacts({ health }: { health: qhcV1.EnvironmentHealth | undefined }) {
  return (
    <>
      <dt>Operator settings</dt>
      <OperatorSettingsFact health={health} />
      <dt>Last seen</dt>
      <dd>{ago(health?.lastSeenAt)}</dd>
      <dt>Applied revision</dt>
      <dd>
        {health?.appliedRevision?.toString() ?? '—'} of {health?.revision?.toString() ?? '—'}
      </dd>
      <InstallationFact installation={health?.installation} />
    </>
  );
}

/** The environment's health as its agent reports it: what clusters and backups can rely on. */
export function Health({ env, health }: { env: Environment; health: qhcV1.EnvironmentHealth | undefined }) {
  const s = env.status;
  return (
    <section className="panel" aria-labelledby="health-heading">
      <h2 id="health-heading">Region health</h2>
      {!s?.kubernetesVersion ? (
        <p>Not reported yet: the agent reports it once it runs.</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Kubernetes</dt>
            <dd>
              {s.kubernetesVersion}
              {s.kubernetesDistribution !== undefined && ` (${enumName(hybridV1.KubernetesDistributionSchema, s.kubernetesDistribution)})`}, {s.numberOfNodes}{' '}
              node(s)
            </dd>
            <dt>Clusters</dt>
            <dd>{health?.canCreateClusters ? 'can be created' : `cannot be created: ${health?.reason ?? s.message ?? 'not reported'}`}</dd>
            <dt>Volume expansion</dt>
            <dd>{s.capabilities?.volumeExpansion ? 'yes' : "no: clusters' storage cannot grow"}</dd>
            <dt>Volume snapshots</dt>
            <dd>{s.capabilities?.volumeSnapshot ? 'yes' : 'no: backups cannot be taken'}</dd>
            <dt>Components</dt>
            <dd>
              {(health?.components ?? [])
                .map((c) => `${c.name} ${c.version} ${c.ready ? 'ready' : `not ready (${c.message || 'unknown'})`}`.replace(/\s+/g, ' '))
                .join('; ')}
            </dd>
            <dt>Reported</dt>
            <dd>{ago(s.lastModifiedAt)}</dd>
          </dl>
          <Table caption="Storage classes" columns={['Storage class', 'Provisioner', 'Default', 'Expansion', 'Reclaim policy']}>
            {s.storageClasses.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.provisioner}</td>
                <td>{c.default ? 'yes' : 'no'}</td>
                <td>{c.allowVolumeExpansion ? 'yes' : 'no'}</td>
                <td>{c.reclaimPolicy}</td>
              </tr>
            ))}
          </Table>
          <Table caption="Volume snapshot classes" columns={['Snapshot class', 'Driver']}>
            {s.volumeSnapshotClasses.map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>{c.driver}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}
