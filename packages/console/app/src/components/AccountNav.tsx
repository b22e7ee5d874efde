import { can, ACCOUNT_PAGES } from '../lib/permissions.ts';
import { Link, usePath } from '../router.tsx';
import { usePermissions } from './permissions.tsx';

/** The account section's own navigation: the pages the caller may read. */
export function AccountNav() {
  const path = usePath();
  const permissions = usePermissions();
  return (
    <nav aria-label="Account" className="subnav">
      <ul>
        {ACCOUNT_PAGES.filter(([, , permission]) => can(permissions, permission)).map(([href, label]) => (
          <li key={href}>
            <Link href={href} aria-current={path === href || (path === '/account' && href === '/account/members') ? 'page' : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
