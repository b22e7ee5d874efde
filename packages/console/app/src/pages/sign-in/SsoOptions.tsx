import { useEffect, useState } from 'react';
import type { qhcV1 } from '@qhc/cloud-api';

async function signInOptions(): Promise<qhcV1.SignInOption[]> {
  const { ssoApi } = await import('../../clients.ts');
  try {
    return (await ssoApi.listSignInOptions({})).items;
  } catch {
    // No single sign-on offered (or a control plane without it): the other ways still work.
    return [];
  }
}

/** One button per OpenID Connect provider of the instance: each starts its provider's sign-in. */
export function SsoOptions() {
  const [options, setOptions] = useState<qhcV1.SignInOption[]>([]);
  useEffect(() => void signInOptions().then(setOptions), []);
  if (options.length === 0) return null;
  return (
    <section aria-labelledby="sso-title" className="sso">
      <h2 id="sso-title">Single sign-on</h2>
      <ul className="sso-options">
        {options.map((o) => (
          <li key={o.oidcProviderId}>
            {/* A full page load: the provider's sign-in leaves the console and comes back to it. */}
            <a className="button" href={o.startPath}>
              Sign in with {o.oidcProviderName}
            </a>{' '}
            <span className="note">account {o.accountName}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
