import { BILLING_FIELDS, type BillingForm } from '../lib/accounts.ts';
import { Field } from './ui.tsx';

const REQUIRED = new Set<keyof BillingForm>(['companyName', 'billingEmail']);

/** The billing information fields (sign-up and the account's settings). */
export function BillingFields({ value, onChange, disabled }: { value: BillingForm; onChange: (patch: Partial<BillingForm>) => void; disabled?: boolean }) {
  return (
    <fieldset disabled={disabled}>
      <legend>Billing information</legend>
      {BILLING_FIELDS.map(([key, label, hint]) => (
        <Field key={key} label={label} {...(hint ? { hint } : {})}>
          {(id, h) => (
            <input
              id={id}
              aria-describedby={h}
              type={key === 'billingEmail' ? 'email' : 'text'}
              value={value[key]}
              required={REQUIRED.has(key)}
              onChange={(e) => onChange({ [key]: e.target.value })}
            />
          )}
        </Field>
      ))}
    </fieldset>
  );
}
