import type { TestProject } from 'vitest/node';
import { startOidcProvider } from './provider.ts';
import type { OidcProviderEndpoints, OidcUser } from './types.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    qhcOidc: OidcProviderEndpoints;
  }
}

/**
 * A vitest globalSetup that starts one provider for a package's whole test run. A package's
 * setup file: `export default oidcProviderGlobalSetup(users)`; its tests:
 * `connectOidcProvider(inject('qhcOidc'))`.
 */
export function oidcProviderGlobalSetup(users: readonly OidcUser[]): (project: TestProject) => Promise<() => Promise<void>> {
  return async (project) => {
    const provider = await startOidcProvider({ users, keepWorkDir: process.env.QHC_OIDC_KEEP === '1' });
    project.provide('qhcOidc', { issuer: provider.issuer, adminUrl: provider.adminUrl, loginAppUrl: provider.loginAppUrl });
    return () => provider.stop();
  };
}
