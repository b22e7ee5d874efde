import { useState } from 'react';
import type { qhcV1 } from '@qhc/cloud-api';
import { accountId } from '../api.ts';
import { auditApi } from '../clients.ts';
import { ErrorBox, Field, LoadMore, Loading, Table } from '../components/ui.tsx';
import { actorLabel, auditRequest, formatTime, noFilters, shortMethod, type AuditFilters } from '../lib/audit.ts';
import { cloudPages } from '../lib/pages.ts';
import { usePagedPoll } from '../poll.ts';
import { AccountPage } from './account/AccountPage.tsx';

const FILTER_FIELDS: ReadonlyArray<readonly [keyof AuditFilters, string, string]> = [
  ['actor', 'Actor', 'text'],
  ['objectType', 'Object type', 'text'],
  ['objectId', 'Object ID', 'text'],
  ['method', 'Method', 'text'],
  ['since', 'Since (UTC)', 'datetime-local'],
  ['until', 'Until (UTC)', 'datetime-local'],
];

const events = (filters: AuditFilters) => cloudPages(async (page) => auditApi.listAuditEvents({ ...auditRequest(accountId(), filters), ...page }));

function Filters({ onApply }: { onApply: (f: AuditFilters) => void }) {
  const [form, setForm] = useState<AuditFilters>(noFilters);
  return (
    <form className="inline" aria-label="Filters" onSubmit={(e) => (e.preventDefault(), onApply(form))}>
      {FILTER_FIELDS.map(([key, label, type]) => (
        <Field key={key} label={label}>
          {(id) => <input id={id} type={type} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />}
        </Field>
      ))}
      <button type="submit" className="button primary">
        Apply filters
      </button>
    </form>
  );
}

function EventRow({ event }: { event: qhcV1.AuditEvent }) {
  return (
    <tr>
      <td>{formatTime(event.occurredAt)}</td>
      <td>{actorLabel(event.actor)}</td>
      <td>
        <code>{shortMethod(event.method)}</code>
      </td>
      <td>
        {event.objectType} {event.objectId && <code>{event.objectId}</code>}
      </td>
      <td>
        {(event.beforeSummary || event.afterSummary) && (
          <details>
            <summary>Changes</summary>
            {event.beforeSummary && <pre aria-label="Before">{event.beforeSummary}</pre>}
            {event.afterSummary && <pre aria-label="After">{event.afterSummary}</pre>}
          </details>
        )}
        {event.remoteAddress && <span className="note">from {event.remoteAddress}</span>}
      </td>
    </tr>
  );
}

/** The account's audit log, newest first, filtered, a page at a time. */
export default function AuditLog() {
  const [filters, setFilters] = useState<AuditFilters>(noFilters);
  const { data, error, loadMore } = usePagedPoll(events(filters), [filters], 5000);
  return (
    <AccountPage title="Audit log" intro="Every change made through the API: who, what, when, and how the object looked before and after.">
      <Filters onApply={setFilters} />
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="the audit log" />
      ) : data.items.length === 0 ? (
        <p>No events.</p>
      ) : (
        <>
          <Table caption="Audit events" columns={['When', 'Who', 'Method', 'Object', 'Details']}>
            {data.items.map((e) => (
              <EventRow key={e.id} event={e} />
            ))}
          </Table>
          <LoadMore more={data.more} what="events" onMore={loadMore} />
        </>
      )}
    </AccountPage>
  );
}
