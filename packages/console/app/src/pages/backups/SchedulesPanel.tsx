import { useState } from 'react';
import { checkCronSchedule } from '@qhc/schemas';
import { request } from '../../api.ts';
import { ConfirmDelete } from '../../components/dialogs.tsx';
import { Badge, ErrorBox, Field, LoadMore, Table } from '../../components/ui.tsx';
import { useSubmit, type PagedResources } from './use-submit.ts';

const shortId = () => Array.from(crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, '0')).join('');

function SchedulesTable({ schedules, path }: { schedules: PagedResources; path: (what: string) => string }) {
  if (!schedules.data?.items.length) return <p>No schedules.</p>;
  return (
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
  );
}

/** The environment's backup schedules, and a form to add one for the chosen cluster. */
export function SchedulesPanel({ schedules, path, chosen }: { schedules: PagedResources; path: (what: string) => string; chosen: string }) {
  const [cron, setCron] = useState('0 2 * * *');
  const [scheduleRetention, setScheduleRetention] = useState('168h');
  const schedule = useSubmit();
  const cronProblem = cron.trim() ? checkCronSchedule(cron) : 'is required';
  return (
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
      <SchedulesTable schedules={schedules} path={path} />
      {schedules.data && <LoadMore more={schedules.data.more} what="schedules" onMore={schedules.loadMore} />}
    </section>
  );
}
