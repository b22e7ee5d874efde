import { oidcProviderGlobalSetup } from '@qhc/oidc-provider/global-setup';
import { OIDC_USERS } from './oidc-users.ts';

// One real OpenID Connect provider (Ory Hydra on 127.0.0.1) for the package's run: the SSO tests
// make their own clients in it (connectOidcProvider(inject('qhcOidc'))).
export default oidcProviderGlobalSetup(OIDC_USERS);
