import { oidcProviderGlobalSetup } from '../../src/global-setup.ts';
import { USERS } from './users.ts';

export default oidcProviderGlobalSetup(USERS);
