import { useState } from 'react';
import { backupV1 } from '@qhc/cloud-api';
import { checkCronSchedule } from '@qhc/schemas';
import { accountId } from '../../api.ts';
import { backupsApi } from '../../clients.ts';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { Badge, ErrorBox, Field, LoadMore, Table } from '../../components/ui.tsx';
import { enumLabel } from '../../lib/status.ts';
import type { BackupSchedule, Cluster } from '../../types.ts';
import { durationToHours, hoursToDuration, useSubmit, type Paged } from './use-submit.ts';
import { MissingPermission, useCan } from '../../components/permissions.tsx';

function SchedulesTable({ schedules }: { schedules: Paged<BackupSchedule> }) {
  const canDelete = useCan('delete:backup_schedules');
  if (!schedules.data?.items.length) return <p>No schedules.</p>;
  return (
    <Table columns={['Schedule', 'Retention', 'Phase', { hidden: 'Actions' }]}>
      {schedules.data.items.map((s) => (
        <tr key={s.id}>
          <th scope="row">
            <code>{s.schedule}</code>
          </th>
          <td>{durationToHours(s.retentionPeriod) ?? ''}</td>
          <td>
            <Badge value={s.deletedAt ? 'Deleting' : (enumLabel(backupV1.BackupScheduleStatusSchema, s.status) ?? 'Pending')} />
          </td>
          <td>
            {!s.deletedAt && canDelete && (
              <ConfirmDelete
                what="schedule"
                name={s.displayName || s.schedule}
                onConfirm={() => backupsApi.deleteBackupSchedule({ accountId: accountId(), backupScheduleId: s.id }).then(() => schedules.reload())}
              />
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** The cluster's backup schedules, and a form to add one. */
export function SchedulesPanel({ schedules, cluster }: { schedules: Paged<BackupSchedule>; cluster: Cluster }) {
  const [cron, setCron] = useState('0 2 * * *');
  const [retention, setRetention] = useState('168h');
  const schedule = useSubmit();
  const cronProblem = cron.trim() ? checkCronSchedule(cron) : 'is required';
  const canCreate = useCan('write:backup_schedules');
  return (
    <section className="panel" aria-labelledby="schedules-heading">
      <h2 id="schedules-heading">Schedules</h2>
      <form
        className="inline"
        onSubmit={async (e) => {
          e.preventDefault();
          await schedule.run(async () => {
            const retentionPeriod = hoursToDuration(retention);
            await backupsApi.createBackupSchedule({
              backupSchedule: { accountId: accountId(), clusterId: cluster.id, schedule: cron.trim(), ...(retentionPeriod ? { retentionPeriod } : {}) },
            });
            await schedules.reload();
          });
        }}
      >
        <Field label="Schedule (cron, UTC)" hint={cronProblem ? `Schedule ${cronProblem}` : 'e.g. 0 2 * * * for 02:00 every day'}>
          {(id, h) => <input id={id} aria-describedby={h} aria-invalid={Boolean(cronProblem)} value={cron} onChange={(e) => setCron(e.target.value)} />}
        </Field>
        <Field label="Keep each backup for" hint="Hours, e.g. 168h">
          {(id, h) => <input id={id} aria-describedby={h} value={retention} onChange={(e) => setRetention(e.target.value)} />}
        </Field>
        <button className="button" type="submit" disabled={Boolean(cronProblem) || schedule.busy || !canCreate}>
          Add schedule for {cluster.name}
        </button>
      </form>
      <MissingPermission needed="write:backup_schedules" />
      <ErrorBox error={schedule.error ?? schedules.error} />
      <SchedulesTable schedules={schedules} />
      {schedules.data && <LoadMore more={schedules.data.more} what="schedules" onMore={schedules.loadMore} />}
    </section>
  );
}
