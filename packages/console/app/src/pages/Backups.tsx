import { useState } from 'react';
import { checkCronSchedule } from '@qhc/schemas';
import { listAll, pages, request, regionPath } from '../api.ts';
import { usePagedPoll, usePoll } from '../poll.ts';
import { ConfirmDelete } from '../components/dialogs.tsx';
import { Badge, CheckboxField, ErrorBox, Field, LoadMore, Loading, SelectField, Table } from '../components/ui.tsx';
import { backupName, restoreBody } from '../lib/forms.ts';
import type { ClusterRecord, RegionRecord, ResourceRecord } from '../types.ts';

const shortId = () => Array.from(crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, '0')).join('');

function useSubmit() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      setError(undefined);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function Progress({ item }: { item: ResourceRecord }) {
  const snaps = item.status?.volumeSnapshots ?? [];
  const phase = item.deletedAt ? 'Deleting' : (item.status?.phase ?? 'Pending');
  if (phase !== 'Running' && phase !== 'Pending') return <Badge value={phase} />;
  const ready = snaps.filter((s) => s.readyToUse).length;
  return (
    <span className="inline-progress">
      <Badge value={phase} />
      {snaps.length > 0 && <progress aria-label={`${item.name}: ${ready} of ${snaps.length} volume snapshots ready`} max={snaps.length} value={ready} />}
    </span>
  );
}

function BackupsOf({ region, clusters }: { region: RegionRecord; clusters: ClusterRecord[] }) {
  const path = (what: string) => regionPath(region.name, what);
  const backups = usePagedPoll(pages<ResourceRecord>(path('backups')), [region.name]);
  const schedules = usePagedPoll(pages<ResourceRecord>(path('backup-schedules')), [region.name]);
  const restores = usePagedPoll(pages<ResourceRecord>(path('restores')), [region.name]);
  const [cluster, setCluster] = useState('');
  const [retention, setRetention] = useState('72h');
  const [cron, setCron] = useState('0 2 * * *');
  const [scheduleRetention, setScheduleRetention] = useState('168h');
  const [restoreFrom, setRestoreFrom] = useState('');
  const [restoreInto, setRestoreInto] = useState('');
  const [restoreNew, setRestoreNew] = useState(true);
  const create = useSubmit();
  const schedule = useSubmit();
  const restore = useSubmit();
  const chosen = cluster || clusters[0]?.name || '';
  const cronProblem = cron.trim() ? checkCronSchedule(cron) : 'is required';
  const succeeded = (backups.data?.items ?? []).filter((b) => b.status?.phase === 'Succeeded' && !b.deletedAt);
  const source = restoreFrom || succeeded[0]?.name || '';

  return (
    <>
      <section className="panel" aria-labelledby="backups-heading">
        <h2 id="backups-heading">Backups</h2>
        <form
          className="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            await create.run(() =>
              request('POST', path('backups'), {
                name: backupName(chosen),
                clusterId: chosen,
                spec: { 'cluster-id': chosen, ...(retention.trim() ? { retention: retention.trim() } : {}) },
              }).then(() => backups.reload()),
            );
          }}
        >
          <SelectField label="Cluster" value={chosen} options={clusters.map((c) => c.name)} onChange={setCluster} />
          <Field label="Keep for" hint="Hours, e.g. 72h; empty keeps it until deleted">
            {(id, h) => <input id={id} aria-describedby={h} value={retention} onChange={(e) => setRetention(e.target.value)} />}
          </Field>
          <button className="button primary" type="submit" disabled={!chosen || create.busy}>
            Back up now
          </button>
        </form>
        <ErrorBox error={create.error} />
        {!backups.data ? (
          <Loading what="backups" />
        ) : backups.data.items.length === 0 ? (
          <p>No backups in this environment.</p>
        ) : (
          <Table columns={['Name', 'Cluster', 'Phase', 'Volumes', 'Keep until', { hidden: 'Actions' }]}>
            {backups.data.items.map((b) => (
              <tr key={b.name}>
                <th scope="row">{b.name}</th>
                <td>{String(b.spec['cluster-id'] ?? b.clusterId)}</td>
                <td>
                  <Progress item={b} />
                </td>
                <td>{b.status?.volumeSnapshots?.length ?? '—'}</td>
                <td>{b.status?.retainUntil ?? 'until deleted'}</td>
                <td>
                  {!b.deletedAt && (
                    <ConfirmDelete
                      what="backup"
                      name={b.name}
                      onConfirm={() => request('DELETE', `${path('backups')}/${encodeURIComponent(b.name)}`).then(() => backups.reload())}
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
        {backups.data && <LoadMore more={backups.data.more} what="backups" onMore={backups.loadMore} />}
      </section>

      <section className="panel" aria-labelledby="schedules-heading">
        <h2 id="schedules-heading">Schedules</h2>
        <form
          className="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            const id = shortId();
            await schedule.run(() =>
              request('POST', path('backup-schedules'), {
                name: `${chosen}-${id}`,
                clusterId: chosen,
                spec: { 'cluster-id': chosen, scheduleShortId: id, schedule: cron.trim(), retention: scheduleRetention.trim() },
              }).then(() => schedules.reload()),
            );
          }}
        >
          <Field label="Schedule (cron, UTC)" hint={cronProblem ? `Schedule ${cronProblem}` : 'e.g. 0 2 * * * for 02:00 every day'}>
            {(id, h) => <input id={id} aria-describedby={h} aria-invalid={Boolean(cronProblem)} value={cron} onChange={(e) => setCron(e.target.value)} />}
          </Field>
          <Field label="Keep each backup for" hint="Hours, e.g. 168h">
            {(id, h) => <input id={id} aria-describedby={h} value={scheduleRetention} onChange={(e) => setScheduleRetention(e.target.value)} />}
          </Field>
          <button className="button" type="submit" disabled={!chosen || Boolean(cronProblem) || schedule.busy}>
            Add schedule for {chosen || 'a cluster'}
          </button>
        </form>
        <ErrorBox error={schedule.error} />
        {schedules.data?.items.length ? (
          <Table columns={['Name', 'Cluster', 'Schedule', 'Retention', 'Next', 'Phase', { hidden: 'Actions' }]}>
            {schedules.data.items.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td>{String(s.spec['cluster-id'] ?? '')}</td>
                <td>
                  <code>{String(s.spec.schedule ?? '')}</code>
                </td>
                <td>{String(s.spec.retention ?? '')}</td>
                <td>{s.status?.scheduled ?? '—'}</td>
                <td>
                  <Badge value={s.deletedAt ? 'Deleting' : (s.status?.phase ?? 'Pending')} />
                </td>
                <td>
                  {!s.deletedAt && (
                    <ConfirmDelete
                      what="schedule"
                      name={s.name}
                      onConfirm={() => request('DELETE', `${path('backup-schedules')}/${encodeURIComponent(s.name)}`).then(() => schedules.reload())}
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <p>No schedules.</p>
        )}
        {schedules.data && <LoadMore more={schedules.data.more} what="schedules" onMore={schedules.loadMore} />}
      </section>

      <section className="panel" aria-labelledby="restores-heading">
        <h2 id="restores-heading">Restores</h2>
        <form
          className="inline"
          onSubmit={async (e) => {
            e.preventDefault();
            const backup = succeeded.find((b) => b.name === source)!;
            await restore.run(() =>
              request(
                'POST',
                path('restores'),
                restoreBody({ name: backup.name, clusterId: String(backup.spec['cluster-id'] ?? backup.clusterId) }, region.spec.namespace, {
                  cluster: restoreInto.trim(),
                  create: restoreNew,
                }),
              ).then(() => restores.reload()),
            );
          }}
        >
          <SelectField label="Backup" value={source} options={succeeded.map((b) => b.name)} onChange={setRestoreFrom} />
          <Field label="Into cluster" hint="An existing cluster, or the name of a new one">
            {(id, h) => <input id={id} aria-describedby={h} value={restoreInto} onChange={(e) => setRestoreInto(e.target.value)} />}
          </Field>
          <CheckboxField label="Create it as a new cluster" checked={restoreNew} onChange={setRestoreNew} />
          <button className="button" type="submit" disabled={!source || !restoreInto.trim() || restore.busy}>
            Restore
          </button>
        </form>
        <ErrorBox error={restore.error} />
        {restores.data?.items.length ? (
          <Table columns={['Name', 'Backup', 'Into', 'Phase', 'Message']}>
            {restores.data.items.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td>{String((r.spec.source as { snapshotName?: string } | undefined)?.snapshotName ?? '')}</td>
                <td>{String((r.spec.destination as { name?: string } | undefined)?.name ?? '')}</td>
                <td>
                  <Badge value={r.status?.phase ?? 'Pending'} />
                </td>
                <td>{r.status?.message ?? ''}</td>
              </tr>
            ))}
          </Table>
        ) : (
          <p>No restores.</p>
        )}
        {restores.data && <LoadMore more={restores.data.more} what="restores" onMore={restores.loadMore} />}
      </section>
    </>
  );
}

export default function Backups() {
  const regions = usePoll(async () => ({ items: await listAll<RegionRecord>('/api/v1/regions') }), [], 10_000);
  const [name, setName] = useState(() => new URLSearchParams(location.search).get('environment') ?? '');
  const chosen = regions.data?.items.find((r) => r.name === name) ?? regions.data?.items[0];
  const clusters = usePoll(
    async () => (chosen ? (await listAll<ClusterRecord>(regionPath(chosen.name, 'clusters'))).filter((c) => !c.deletedAt) : []),
    [chosen?.name],
  );
  return (
    <section>
      <h1>Backups</h1>
      <p>Volume snapshots of every node of a cluster, taken in its environment.</p>
      <ErrorBox error={regions.error} />
      {!regions.data ? (
        <Loading what="environments" />
      ) : !chosen ? (
        <p>Create an environment first.</p>
      ) : (
        <>
          <SelectField label="Environment" value={chosen.name} options={regions.data!.items.map((r) => r.name)} onChange={setName} />
          <BackupsOf key={chosen.name} region={chosen} clusters={clusters.data ?? []} />
        </>
      )}
    </section>
  );
}
