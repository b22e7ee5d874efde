import { lazy, Suspense, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { apiWarnings, currentSession, signOut, onSessionEnded, type Session } from './api.ts';
import { Link, match, navigate, usePath } from './router.tsx';
import { Loading } from './components/loading.tsx';

// Each screen is its own chunk: the first load is the shell and the sign-in form.
const Environments = lazy(() => import('./pages/Environments.tsx'));
const EnvironmentNew = lazy(() => import('./pages/EnvironmentNew.tsx'));
const EnvironmentDetail = lazy(() => import('./pages/EnvironmentDetail.tsx'));
const Clusters = lazy(() => import('./pages/Clusters.tsx'));
const ClusterNew = lazy(() => import('./pages/ClusterNew.tsx'));
const ClusterDetail = lazy(() => import('./pages/ClusterDetail.tsx'));
const Backups = lazy(() => import('./pages/Backups.tsx'));
const SignIn = lazy(() => import('./pages/SignIn.tsx'));

/** What the control plane warned about (the object was still created), until dismissed. */
function Warnings() {
  const list = useSyncExternalStore(apiWarnings.subscribe, apiWarnings.current);
  if (list.length === 0) return null;
  return (
    <div className="warnings" role="alert">
      <ul>
        {list.map((w, i) => (
          <li key={i}>Warning: {w}</li>
        ))}
      </ul>
      <button type="button" className="button" onClick={() => apiWarnings.dismiss()}>
        Dismiss
      </button>
    </div>
  );
}

function route(path: string): ReactNode {
  let m: Record<string, string> | undefined;
  if (path === '/' || path === '/environments') return <Environments />;
  if (path === '/environments/new') return <EnvironmentNew />;
  if ((m = match('/clusters/:cluster', path)) && m.cluster !== 'new') return <ClusterDetail id={m.cluster!} />;
  if ((m = match('/environments/:environment', path)) && m.environment !== 'new') return <EnvironmentDetail id={m.environment!} />;
  if (path === '/clusters') return <Clusters />;
  if (path === '/clusters/new') return <ClusterNew />;
  if (path === '/backups') return <Backups />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at {path}. <Link href="/environments">Go to the environments</Link>.
      </p>
    </section>
  );
}

const NAV = [
  ['/environments', 'Environments'],
  ['/clusters', 'Clusters'],
  ['/backups', 'Backups'],
] as const;

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
  if (session === null)
    return (
      <Suspense fallback={<Loading what="the sign-in form" />}>
        <SignIn onSignedIn={(s) => (setSession(s), path === '/sign-in' && navigate('/environments', { replace: true }))} />
      </Suspense>
    );
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">qhc</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={path.startsWith(href) || (path === '/' && href === '/environments') ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">Account {session.accountId}</span>
        <button type="button" className="button" onClick={() => void signOut().then(() => setSession(null), setError)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Warnings />
        <Suspense fallback={<Loading what="the page" />}>{route(path)}</Suspense>
      </main>
    </>
  );
}
