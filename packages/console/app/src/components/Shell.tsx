import { Suspense } from 'react';
import { signOut, type Session } from '../api.ts';
import { Link, usePath } from '../router.tsx';
import { route } from '../routes.tsx';
import { AccountSwitcher } from './AccountSwitcher.tsx';
import { useInstanceAdmin } from './use-instance-admin.ts';
import { Loading } from './loading.tsx';
import { Warnings } from './Warnings.tsx';

const NAV = [
  ['/environments', 'Environments'],
  ['/clusters', 'Clusters'],
  ['/backups', 'Backups'],
  ['/account', 'Account'],
] as const;

const current = (path: string, href: string) => path.startsWith(href) || (path === '/' && href === '/environments');

interface HeaderProps {
  session: Session;
  onSession: (s: Session | null) => void;
  onError: (e: unknown) => void;
  /** Whether the console's sections are linked (not while the account waits for approval). */
  sections?: boolean;
}

/** The header every signed-in screen shares: the sections, the account, sign-out. */
export function Header({ session, onSession, onError, sections = true }: HeaderProps) {
  const path = usePath();
  const nav = useInstanceAdmin(session) ? [...NAV, ['/admin/account-requests', 'Account requests'] as const] : NAV;
  return (
    <header className="top">
      <span className="brand">qhc</span>
      {sections && (
        <nav aria-label="Main">
          <ul>
            {nav.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={current(path, href) ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <AccountSwitcher session={session} onSwitched={onSession} />
      <button type="button" className="button" onClick={() => void signOut().then(() => onSession(null), onError)}>
        Sign out
      </button>
    </header>
  );
}

/** The signed-in console: header, then the page of the address. */
export function Shell(props: HeaderProps) {
  const path = usePath();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header {...props} />
      <main id="main" tabIndex={-1}>
        <Warnings />
        <Suspense fallback={<Loading what="the page" />}>{route(path)}</Suspense>
      </main>
    </>
  );
}
