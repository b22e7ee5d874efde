import { useState } from 'react';
import { signIn, type Session } from '../../api.ts';
import { ErrorBox, Field } from '../../components/ui.tsx';
import { useSubmit } from '../backups/use-submit.ts';

/** The management-key sign-in, for API-key users and the first start's key. */
export function KeyForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const { error, busy, run } = useSubmit();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onSignedIn(await signIn(key.trim())));
      }}
    >
      <p>Paste a management key (qhc_m_…). The console keeps it only as a session cookie that scripts cannot read.</p>
      <Field label="Management key" hint="The management key the control plane printed on its first start, or one made with the AuthService (qhc key create).">
        {(id, hint) => (
          <input id={id} aria-describedby={hint} type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
        )}
      </Field>
      <ErrorBox error={error} />
      <button className="button primary" type="submit" disabled={busy || !key.trim()}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
