import { useState } from 'react';
import { signInWithPassword, type Session } from '../../api.ts';
import { ErrorBox, Field } from '../../components/ui.tsx';
import { useSubmit } from '../backups/use-submit.ts';

/** A user's sign-in: email and password (SessionService.SignInWithPassword). */
export function PasswordForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useSubmit();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onSignedIn(await signInWithPassword(email.trim(), password)));
      }}
    >
      <Field label="Email">
        {(id) => <input id={id} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />}
      </Field>
      <Field label="Password">
        {(id) => <input id={id} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />}
      </Field>
      <ErrorBox error={error} />
      <button className="button primary" type="submit" disabled={busy || !email.trim() || !password}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
