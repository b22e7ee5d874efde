import type { OidcUser } from '@qhc/oidc-provider';

// The people of the tests' identity provider: each signs in with email and password, and carries
// the groups the account's group → role mappings read.
export const ADA = { subject: 'user-ada', email: 'ada@example.com', password: 'ada-password', groups: ['qdrant-admins', 'engineering'] };
export const VIC = { subject: 'user-vic', email: 'vic@example.com', password: 'vic-password', groups: ['qdrant-viewers'] };
export const NOR = { subject: 'user-nor', email: 'nor@example.com', password: 'nor-password', groups: ['sales'] };
/** Has a password user's email at the control plane: the provider must not take that user over. */
export const EVE = { subject: 'user-eve', email: 'eve@example.com', password: 'eve-password', groups: ['qdrant-admins'] };

export const OIDC_USERS: readonly OidcUser[] = [ADA, VIC, NOR, EVE];
