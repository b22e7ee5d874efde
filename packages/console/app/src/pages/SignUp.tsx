import { useState, type ReactNode } from 'react';
import { signUp, type Session } from '../api.ts';
import { BillingFields } from '../components/BillingFields.tsx';
import { ErrorBox, Field } from '../components/ui.tsx';
import { emptySignUp, signUpProblems, signUpRequest, type SignUpForm } from '../lib/accounts.ts';
import { Link } from '../router.tsx';
import { useSubmit } from './backups/use-submit.ts';

type TextKey = Exclude<keyof SignUpForm, 'billing'>;

function TextField({
  form,
  name,
  label,
  set,
  hint,
  type = 'text',
  auto,
}: {
  form: SignUpForm;
  name: TextKey;
  label: string;
  set: (p: Partial<SignUpForm>) => void;
  hint?: string;
  type?: string;
  auto?: string;
}) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id, h) => <input id={id} aria-describedby={h} type={type} autoComplete={auto} value={form[name]} onChange={(e) => set({ [name]: e.target.value })} />}
    </Field>
  );
}

const Problems = ({ list }: { list: string[] }): ReactNode =>
  list.length > 0 && (
    <div className="error" role="alert">
      <p className="error-title">Please correct the form:</p>
      <ul>
        {list.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );

/** A new user and a new account (pending until an instance administrator approves it). */
export default function SignUp({ onSignedUp }: { onSignedUp: (session: Session) => void }) {
  const [form, setForm] = useState<SignUpForm>(emptySignUp);
  const [problems, setProblems] = useState<string[]>([]);
  const { error, busy, run } = useSubmit();
  const set = (patch: Partial<SignUpForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = () => {
    const found = signUpProblems(form);
    setProblems(found);
    if (found.length === 0) void run(async () => onSignedUp(await signUp(signUpRequest(form))));
  };
  return (
    <main id="main" className="signin">
      <h1>Sign up for qhc</h1>
      <form noValidate onSubmit={(e) => (e.preventDefault(), submit())}>
        <fieldset>
          <legend>You</legend>
          <TextField form={form} set={set} name="email" label="Email" type="email" auto="username" />
          <TextField form={form} set={set} name="password" label="Password" type="password" auto="new-password" hint="12 to 256 characters, not your email" />
        </fieldset>
        <fieldset>
          <legend>Account</legend>
          <TextField form={form} set={set} name="accountName" label="Account name" auto="off" />
          <TextField form={form} set={set} name="companyName" label="Company" auto="organization" />
          <TextField form={form} set={set} name="companyDomain" label="Company domain" hint="Optional, e.g. example.com" auto="off" />
        </fieldset>
        <BillingFields value={form.billing} onChange={(patch) => set({ billing: { ...form.billing, ...patch } })} />
        <Problems list={problems} />
        <ErrorBox error={error} title="The control plane refused the sign-up" />
        <button className="button primary" type="submit" disabled={busy}>
          {busy ? 'Signing up…' : 'Sign up'}
        </button>
      </form>
      <p>
        Have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
