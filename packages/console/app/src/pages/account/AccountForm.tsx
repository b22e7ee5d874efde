import { useEffect, useState } from 'react';
import { accountId } from '../../api.ts';
import { accountsApi } from '../../clients.ts';
import { useCan } from '../../components/permissions.tsx';
import { ErrorBox, Loading, Field } from '../../components/ui.tsx';
import { useSubmit } from '../backups/use-submit.ts';

interface Form {
  name: string;
  company: string;
  domain: string;
}

/** The account's name and company (AccountService.UpdateAccount with an update mask). */
export function AccountForm() {
  const [form, setForm] = useState<Form>();
  const [saved, setSaved] = useState(false);
  const load = useSubmit();
  const save = useSubmit();
  const writable = useCan('write:account');
  useEffect(() => {
    void load.run(async () => {
      const account = (await accountsApi.getAccount({ accountId: accountId() })).account;
      setForm({ name: account?.name ?? '', company: account?.company?.name ?? '', domain: account?.company?.domain ?? '' });
    });
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const set = (patch: Partial<Form>) => (setSaved(false), setForm((f) => f && { ...f, ...patch }));
  const submit = () =>
    form &&
    save.run(async () => {
      const company = { name: form.company.trim(), ...(form.domain.trim() ? { domain: form.domain.trim() } : {}) };
      await accountsApi.updateAccount({ account: { id: accountId(), name: form.name.trim(), company }, updateMask: { paths: ['name', 'company'] } });
      setSaved(true);
    });
  if (!form) return load.error ? <ErrorBox error={load.error} title="The account could not be read" /> : <Loading what="the account" />;
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())} aria-label="Account">
      <fieldset disabled={!writable}>
        <legend>Account</legend>
        <Field label="Account name">{(id) => <input id={id} value={form.name} onChange={(e) => set({ name: e.target.value })} required />}</Field>
        <Field label="Company">{(id) => <input id={id} value={form.company} onChange={(e) => set({ company: e.target.value })} />}</Field>
        <Field label="Company domain">{(id) => <input id={id} value={form.domain} onChange={(e) => set({ domain: e.target.value })} />}</Field>
      </fieldset>
      <ErrorBox error={save.error} />
      {saved && <p role="status">Saved.</p>}
      {writable && (
        <button type="submit" className="button primary" disabled={save.busy}>
          Save account
        </button>
      )}
    </form>
  );
}
