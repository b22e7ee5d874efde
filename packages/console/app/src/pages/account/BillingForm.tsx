import { useEffect, useState } from 'react';
import { accountId } from '../../api.ts';
import { billingApi } from '../../clients.ts';
import { BillingFields } from '../../components/BillingFields.tsx';
import { useCan } from '../../components/permissions.tsx';
import { ErrorBox, Loading } from '../../components/ui.tsx';
import { billingFromForm, billingProblems, formFromBilling, type BillingForm as Form } from '../../lib/accounts.ts';
import { useSubmit } from '../backups/use-submit.ts';

/** The account's billing information (AccountBillingService), replaced as a whole. */
export function BillingForm() {
  const [form, setForm] = useState<Form>();
  const [saved, setSaved] = useState(false);
  const load = useSubmit();
  const save = useSubmit();
  const writable = useCan('write:account');
  useEffect(() => {
    void load.run(async () => setForm(formFromBilling((await billingApi.getBillingInformation({ accountId: accountId() })).billingInformation)));
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = () =>
    form &&
    save.run(async () => {
      const problems = billingProblems(form);
      if (problems.length > 0) throw new Error(problems.join('\n  - '));
      await billingApi.updateBillingInformation({ accountId: accountId(), billingInformation: billingFromForm(form) });
      setSaved(true);
    });
  if (!form) return load.error ? <ErrorBox error={load.error} title="The billing information could not be read" /> : <Loading what="the billing information" />;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} aria-label="Billing information" noValidate>
      <BillingFields value={form} onChange={(patch) => (setSaved(false), setForm({ ...form, ...patch }))} disabled={!writable} />
      <ErrorBox error={save.error} />
      {saved && <p role="status">Saved.</p>}
      {writable && (
        <button type="submit" className="button primary" disabled={save.busy}>
          Save billing information
        </button>
      )}
    </form>
  );
}
