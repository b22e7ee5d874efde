import { lazy, Suspense, useEffect, useState } from 'react';
import { currentSession, onSessionEnded, type Session } from './api.ts';
import { navigate, usePath } from './router.tsx';
import { AccessGate } from './components/AccessGate.tsx';
import { Loading } from './components/loading.tsx';
import { PermissionsProvider } from './components/permissions.tsx';
import { Header, Shell } from './components/Shell.tsx';

const SignIn = lazy(() => import('./pages/SignIn.tsx'));
const SignUp = lazy(() => import('./pages/SignUp.tsx'));

/** Signed out: the sign-up form at /sign-up, else the sign-in form. */
function SignedOut({ path, onSession }: { path: string; onSession: (s: Session) => void }) {
  const signedIn = (s: Session) => (onSession(s), (path === '/sign-in' || path === '/sign-up') && navigate('/environments', { replace: true }));
  return (
    <Suspense fallback={<Loading what="the sign-in form" />}>
      {path === '/sign-up' ? <SignUp onSignedUp={signedIn} /> : <SignIn onSignedIn={signedIn} />}
    </Suspense>
  );
}

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    onSessionEnded(() => setSession(null));
    currentSession().then((s) => setSession(s ?? null), setError);
  }, []);
  // Each page names itself: screen readers announce the new title after navigation.
  useEffect(() => {
    const section = path.split('/')[1] || 'environments';
    document.title = `${section.charAt(0).toUpperCase()}${section.slice(1)} · qhc console`;
  }, [path]);

  if (error) return <p role="alert">The console could not reach the control plane: {error instanceof Error ? error.message : String(error)}</p>;
  if (session === undefined) return <Loading what="the console" />;
  if (session === null) return <SignedOut path={path} onSession={setSession} />;
  const props = { session, onSession: setSession, onError: setError };
  // Keyed by account: a switch reloads every page's data for the new account.
  return (
    <PermissionsProvider key={session.accountId} accountId={session.accountId}>
      <AccessGate session={session} header={<Header {...props} sections={false} />}>
        <Shell {...props} />
      </AccessGate>
    </PermissionsProvider>
  );
}
