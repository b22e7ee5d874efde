import { lazy, type ReactNode } from 'react';
import { Link, match } from './router.tsx';

// Each screen is its own chunk: the first load is the shell and the sign-in form.
const Environments = lazy(() => import('./pages/Environments.tsx'));
const EnvironmentNew = lazy(() => import('./pages/EnvironmentNew.tsx'));
const EnvironmentDetail = lazy(() => import('./pages/EnvironmentDetail.tsx'));
const Clusters = lazy(() => import('./pages/Clusters.tsx'));
const ClusterNew = lazy(() => import('./pages/ClusterNew.tsx'));
const ClusterDetail = lazy(() => import('./pages/ClusterDetail.tsx'));
const Backups = lazy(() => import('./pages/Backups.tsx'));
const Members = lazy(() => import('./pages/Members.tsx'));
const Roles = lazy(() => import('./pages/Roles.tsx'));
const ManagementKeys = lazy(() => import('./pages/ManagementKeys.tsx'));
const AuditLog = lazy(() => import('./pages/AuditLog.tsx'));
const AccountSettings = lazy(() => import('./pages/AccountSettings.tsx'));
const AccountRequests = lazy(() => import('./pages/AccountRequests.tsx'));

const PAGES: Record<string, () => ReactNode> = {
  '/': () => <Environments />,
  '/environments': () => <Environments />,
  '/environments/new': () => <EnvironmentNew />,
  '/clusters': () => <Clusters />,
  '/clusters/new': () => <ClusterNew />,
  '/backups': () => <Backups />,
  '/account': () => <Members />,
  '/account/members': () => <Members />,
  '/account/roles': () => <Roles />,
  '/account/keys': () => <ManagementKeys />,
  '/account/audit': () => <AuditLog />,
  '/account/settings': () => <AccountSettings />,
  '/admin/account-requests': () => <AccountRequests />,
};

export function route(path: string): ReactNode {
  const page = PAGES[path.length > 1 ? path.replace(/\/$/, '') : path];
  if (page) return page();
  let m: Record<string, string> | undefined;
  if ((m = match('/clusters/:cluster', path))) return <ClusterDetail id={m.cluster!} />;
  if ((m = match('/environments/:environment', path))) return <EnvironmentDetail id={m.environment!} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page at {path}. <Link href="/environments">Go to the environments</Link>.
      </p>
    </section>
  );
}
