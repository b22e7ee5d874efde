import { useState } from 'react';
import { signIn, type Session } from '../api.ts';
import { ErrorBox, Field } from '../components/ui.tsx';

export default function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" className="signin">
      <h1>Sign in to qhc</h1>
      <p>Paste a management key (qhc_m_…). The console keeps it only as a session cookie that scripts cannot read.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            onSignedIn(await signIn(key.trim()));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field
          label="Management key"
          hint="The management key the control plane printed on its first start, or one made with the AuthService (qhc key create)."
        >
          {(id, hint) => (
            <input id={id} aria-describedby={hint} type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
          )}
        </Field>
        <ErrorBox error={error} />
        <button className="button primary" type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
