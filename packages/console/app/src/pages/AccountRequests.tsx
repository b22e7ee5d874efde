import { useState } from 'react';
import type { qhcV1 } from '@qhc/cloud-api';
import { accountAccessApi } from '../clients.ts';
import { ReasonDialog } from '../components/ReasonDialog.tsx';
import { Badge, ErrorBox, LoadMore, Loading, SelectField, Table } from '../components/ui.tsx';
import { ACCOUNT_STATUS, accountStatusLabel } from '../lib/accounts.ts';
import { formatTime } from '../lib/audit.ts';
import { cloudPages } from '../lib/pages.ts';
import { usePagedPoll } from '../poll.ts';
import { useSubmit } from './backups/use-submit.ts';

const FILTERS = { Pending: ACCOUNT_STATUS.PENDING, Approved: ACCOUNT_STATUS.APPROVED, Rejected: ACCOUNT_STATUS.REJECTED, All: undefined } as const;
type Filter = keyof typeof FILTERS;
const TONE: Record<number, string> = { [ACCOUNT_STATUS.PENDING]: 'Scaling', [ACCOUNT_STATUS.APPROVED]: 'Healthy', [ACCOUNT_STATUS.REJECTED]: 'FailedToCreate' };

const requests = (filter: Filter) =>
  cloudPages(async (page) => {
    const status = FILTERS[filter];
    return accountAccessApi.listAccountRequests({ ...page, ...(status === undefined ? {} : { status }) });
  });

function Row({ request, reload }: { request: qhcV1.AccountRequest; reload: () => Promise<void> }) {
  const { error, busy, run } = useSubmit();
  const access = request.access!;
  const id = access.accountId;
  return (
    <tr>
      <th scope="row">{request.accountName}</th>
      <td>{request.ownerEmail}</td>
      <td>{request.company?.name || request.billingInformation?.companyName}</td>
      <td>{formatTime(access.requestedAt)}</td>
      <td>
        <Badge value={TONE[access.status]} label={accountStatusLabel(access.status)} />
        {access.reason && <p className="note">Reason: {access.reason}</p>}
        {request.decidedByEmail && <p className="note">By {request.decidedByEmail}</p>}
      </td>
      <td>
        {access.status === ACCOUNT_STATUS.PENDING && (
          <span className="inline-actions">
            <button
              type="button"
              className="button primary"
              disabled={busy}
              aria-label={`Approve ${request.accountName}`}
              onClick={() => void run(async () => (await accountAccessApi.approveAccount({ accountId: id }), await reload()))}
            >
              Approve
            </button>
            <ReasonDialog
              label="Reject"
              title={`Reject ${request.accountName}?`}
              onConfirm={async (reason) => (await accountAccessApi.rejectAccount({ accountId: id, reason }), await reload())}
            />
          </span>
        )}
        <ErrorBox error={error} />
      </td>
    </tr>
  );
}

/** Instance administrators: the accounts that signed up, to approve or reject. */
export default function AccountRequests() {
  const [filter, setFilter] = useState<Filter>('Pending');
  const { data, error, reload, loadMore } = usePagedPoll(requests(filter), [filter]);
  return (
    <section>
      <h1>Account requests</h1>
      <p>Accounts that signed up. Until approved they can sign in and look, but not create anything.</p>
      <SelectField label="Show" value={filter} options={Object.keys(FILTERS)} onChange={(v) => setFilter(v as Filter)} />
      <ErrorBox error={error} />
      {!data ? (
        <Loading what="account requests" />
      ) : data.items.length === 0 ? (
        <p>No {filter === 'All' ? '' : `${filter.toLowerCase()} `}account requests.</p>
      ) : (
        <>
          <Table caption="Account requests" columns={['Account', 'Owner', 'Company', 'Requested', 'Status', { hidden: 'Actions' }]}>
            {data.items.map((r) => (
              <Row key={r.access?.accountId} request={r} reload={reload} />
            ))}
          </Table>
          <LoadMore more={data.more} what="account requests" onMore={loadMore} />
        </>
      )}
    </section>
  );
}
