export { startOidcProvider, connectOidcProvider, type StartOidcProviderOptions } from './provider.ts';
export { OidcLoginRefusedError } from './flow.ts';
export { locateHydra } from './binary.ts';
export type { OidcUser, OidcClient, OidcProvider, OidcProviderHandle, OidcProviderEndpoints, CreateClientOptions, Credentials } from './types.ts';
