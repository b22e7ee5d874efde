import type { OidcUser } from '../../src/index.ts';

export const ADA: OidcUser = { subject: 'user-ada', email: 'ada@example.com', password: 'correct horse battery', groups: ['qdrant-admins', 'staff'] };
export const BOB: OidcUser = { subject: 'user-bob', email: 'bob@example.com', password: 'another secret', groups: ['qdrant-viewers'] };
export const USERS: readonly OidcUser[] = [ADA, BOB];
