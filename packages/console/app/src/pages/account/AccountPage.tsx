import type { ReactNode } from 'react';
import { AccountNav } from '../../components/AccountNav.tsx';

/** A page of the account section: its navigation, then the page. */
export function AccountPage({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  return (
    <section>
      <AccountNav />
      <h1>{title}</h1>
      {intro && <p>{intro}</p>}
      {children}
    </section>
  );
}
