import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import type { iamV1 } from '@qhc/cloud-api';
import type { CloudDeps } from '../context.ts';
import { roleHandlers } from './role-handlers.ts';
import { userHandlers } from './user-handlers.ts';

// qdrant.cloud.iam.v1.IAMService: users, roles and permissions of an account. What Qdrant Cloud
// keeps of a person beyond an email and a password (profile, legal consent, MFA) qhc does not.

const lacks = (what: string) => () => {
  throw new ConnectError(`qhc ${what}`, Code.Unimplemented);
};

export function iamService(deps: CloudDeps): ServiceImpl<typeof iamV1.IAMService> {
  return {
    ...userHandlers(deps),
    ...roleHandlers(deps),
    deleteUser: lacks('does not delete users through the API: an instance administrator removes a person (a user may own accounts and sessions)'),
    getUserProfile: lacks('keeps no user profile (given and family name, demographics): a user is an email and a password'),
    updateUserProfile: lacks('keeps no user profile (given and family name, demographics): a user is an email and a password'),
    getUserConsent: lacks('records no consent to legal documents (terms of service, privacy policy, SLA)'),
    recordUserConsent: lacks('records no consent to legal documents (terms of service, privacy policy, SLA)'),
    listUserMfaMethods: lacks('has no multi-factor authentication methods (TOTP, recovery codes, WebAuthn)'),
    updateUserMfaMethod: lacks('has no multi-factor authentication methods (TOTP, recovery codes, WebAuthn)'),
    deleteUserMfaMethod: lacks('has no multi-factor authentication methods (TOTP, recovery codes, WebAuthn)'),
  };
}
