import { useState } from 'react';
import { signIn, type Session } from '../api.ts';
import { ErrorBox, Field } from '../components/ui.tsx';

export default function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" className="signin">
      <h1>Sign in to qhc</h1>
      <p>Paste a user token (qhc_u_…). The console keeps it only as a session cookie that scripts cannot read.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          try {
            onSignedIn(await signIn(token));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label="User token" hint="The admin token the control plane printed on its first start, or one made with POST /api/v1/tokens.">
          {(id, hint) => (
            <input id={id} aria-describedby={hint} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
          )}
        </Field>
        <ErrorBox error={error} />
        <button className="button primary" type="submit" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
