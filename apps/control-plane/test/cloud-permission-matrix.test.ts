// Every rpc of every served service, called with a key of each built-in role: the interceptor
// lets through exactly the roles this table names and refuses the others with PermissionDenied.
// The table is written by hand from the roles' definitions; an rpc without a row fails, and a
// row that does not follow from the rpc's `permissions` option and the built-in roles fails.
import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { isPublic } from '../src/cloud/auth.ts';
import { CLOUD_SERVICES } from '../src/cloud/services.ts';
import { builtInRole } from '../src/iam/built-in-roles.ts';
import { requirementOf } from '../src/iam/method-permissions.ts';
import { ACCOUNT_MATRIX_ROWS, INSTANCE_ADMINS } from './support/account-matrix.ts';
import { cloudPlane, type Dialect } from './support/cloud.ts';
import { BUILT_IN, callWithAccount, grpcTransport, keyWithRoles, roleIds, type BuiltIn } from './support/roles.ts';

/**
 * The roles (initials: Owner, Admin, Editor, Viewer, Base) whose keys may call the rpc; 'public' needs no key; 'session' is
 * about a console session: a key alone is Unauthenticated; INSTANCE_ADMINS: decided by the service, not by a permission.
 */
type Outcome = string;
const ALL = 'OAEVB';

const MATRIX: Record<string, Record<string, Outcome>> = {
  'qdrant.cloud.auth.v1.AuthService': { ListManagementKeys: 'OA', CreateManagementKey: 'OA', DeleteManagementKey: 'OA' },
  'qdrant.cloud.cluster.v1.ClusterService': {
    ListClusters: 'OAEV',
    GetCluster: 'OAEV',
    GetClusterDownscaleRisk: 'OAEV',
    CreateCluster: 'OAE',
    CreateClusterFromBackup: 'OAE',
    UpdateCluster: 'OAE',
    DeleteCluster: 'OA',
    RestartCluster: 'OAE',
    SuspendCluster: 'OAE',
    UnsuspendCluster: 'OAE',
    EnableClusterJwtRbac: 'OAE',
    SuggestClusterName: ALL,
    ListQdrantReleases: 'OAEV',
    GetQdrantRelease: 'OAEV',
  },
  'qdrant.cloud.booking.v1.BookingService': {
    ListPackages: ALL,
    GetPackage: ALL,
    ListGlobalPackages: 'public',
    GetQuote: 'OAE',
    GetBackupQuote: 'OAE',
    ListInferenceModels: ALL,
    ListStorageTierTypes: ALL,
  },
  'qdrant.cloud.hybrid.v1.HybridCloudService': {
    ListHybridCloudEnvironments: 'OAEV',
    GetHybridCloudEnvironment: 'OAEV',
    CreateHybridCloudEnvironment: 'OAE',
    UpdateHybridCloudEnvironment: 'OAE',
    DeleteHybridCloudEnvironment: 'OA',
    GenerateBootstrapCommands: 'OA',
  },
  'qdrant.cloud.cluster.backup.v1.BackupService': {
    ListBackups: 'OAEV',
    GetBackup: 'OAEV',
    CreateBackup: 'OAE',
    UpdateBackup: 'OAE',
    DeleteBackup: 'OA',
    ListBackupRestores: 'OAEV',
    RestoreBackup: 'OAE',
    ListBackupSchedules: 'OAEV',
    GetBackupSchedule: 'OAEV',
    CreateBackupSchedule: 'OAE',
    UpdateBackupSchedule: 'OAE',
    DeleteBackupSchedule: 'OA',
  },
  'qhc.v1.SessionService': {
    CreateSession: 'public',
    GetSession: 'session',
    DeleteSession: 'session',
    SignInWithPassword: 'public',
    ListMyAccounts: ALL,
    SwitchAccount: ALL,
  },
  'qhc.v1.EnvironmentAgentService': {
    GetEnvironmentVersions: 'OAEV',
    UpdateEnvironmentVersions: 'OAE',
    CreateInstallation: 'OAE',
    ListAgentTokens: 'OAEV',
    RevokeAgentToken: 'OAE',
    GetEnvironmentHealth: 'OAEV',
    GetRegistryCredentials: 'OAEV',
    SetRegistryCredentials: 'OAE',
    DeleteRegistryCredentials: 'OAE',
  },
  'qhc.v1.ClusterEventService': { ListClusterEvents: 'OAEV' },
  'qhc.v1.ClusterExtensionService': {
    ListClusterPauses: 'OAEV',
    PauseCluster: 'OAE',
    UnpauseCluster: 'OAE',
    GetClusterIngress: 'OAEV',
    SetClusterIngress: 'OAE',
  },
  'qdrant.cloud.cluster.auth.v2.DatabaseApiKeyService': { ListDatabaseApiKeys: 'OAEV', CreateDatabaseApiKey: 'OAE', DeleteDatabaseApiKey: 'OA' },
  'qdrant.cloud.iam.v1.IAMService': {
    GetAuthenticatedUser: ALL,
    ListUsers: 'OAV',
    UpdateUser: ALL,
    DeleteUser: ALL,
    GetUserProfile: ALL,
    UpdateUserProfile: ALL,
    GetUserConsent: ALL,
    RecordUserConsent: ALL,
    ListPermissions: 'OAV',
    ListRoles: 'OAV',
    GetRole: 'OAV',
    CreateRole: 'OA',
    UpdateRole: 'OA',
    DeleteRole: 'OA',
    ListEffectivePermissions: ALL,
    ListUserRoles: 'OAV',
    ListRoleUsers: 'OAV',
    AssignUserRoles: 'OA',
    LogoutUser: ALL,
    ListUserMfaMethods: ALL,
    UpdateUserMfaMethod: ALL,
    DeleteUserMfaMethod: ALL,
  },
  'qhc.v1.ManagementKeyRoleService': { CreateManagementKeyWithRoles: 'OA', ListManagementKeyRoles: 'OA' },
  'qhc.v1.AuditLogService': { ListAuditEvents: 'OA' },
  ...ACCOUNT_MATRIX_ROWS,
  'qhc.v1.SsoService': {
    ListOidcProviders: 'OAV',
    GetOidcProvider: 'OAV',
    CreateOidcProvider: 'OA',
    UpdateOidcProvider: 'OA',
    DeleteOidcProvider: 'OA',
    ListSignInOptions: 'public',
  },
};

const table = MATRIX;
const served = CLOUD_SERVICES.flatMap(({ service }) => service.methods.map((method) => ({ service: service.typeName, method })));

describe('the permission matrix', () => {
  it('has one row for every rpc served, and none for an rpc that is not', () => {
    const rows = Object.entries(table).flatMap(([service, methods]) => Object.keys(methods).map((name) => `${service}/${name}`));
    expect(rows.toSorted()).toEqual(served.map(({ service, method }) => `${service}/${method.name}`).toSorted());
  });

  it("follows from each rpc's permissions option and the built-in roles' permissions", () => {
    const disagreements = served.flatMap(({ service, method }) => {
      const row = table[service]?.[method.name];
      const derived = derivedOutcome(method);
      // The service decides these: a console session (its cookie, whatever the options), an instance administrator.
      const byService = (row === 'session' && (derived === ALL || derived === 'public')) || (row === INSTANCE_ADMINS && derived === ALL);
      return row === undefined || row === derived || byService
        ? []
        : [`${service}/${method.name}: the table says ${row}, the proto and the roles say ${derived}`];
    });
    expect(disagreements).toEqual([]);
  });
});

/** Who the interceptor lets through by the method's options alone: 'public', or the initials of the roles that meet its permissions. */
function derivedOutcome(method: (typeof served)[number]['method']): Outcome {
  if (isPublic(method)) return 'public';
  const { permissions, all } = requirementOf(method);
  const meets = (role: BuiltIn) => {
    const held = new Set(builtInRole(role)!.permissions);
    return permissions.length === 0 || (all ? permissions.every((p) => held.has(p)) : permissions.some((p) => held.has(p)));
  };
  return BUILT_IN.filter(meets)
    .map((role) => role[0])
    .join('');
}

/** Why an answer differs from the table's outcome for the role; undefined when it agrees. */
function mismatch(outcome: Outcome, role: BuiltIn, answer: { code: Code; message: string }, rpc: string): string | undefined {
  const seen = `${rpc} as ${role}: ${Code[answer.code] ?? answer.code} ${answer.message}`;
  if (outcome === 'session') return answer.code === Code.Unauthenticated ? undefined : `${seen} (expected Unauthenticated)`;
  if (outcome === INSTANCE_ADMINS) {
    // The matrix's keys are the first account's: its Owner and Admin are instance administrators.
    const admitted = role === 'Owner' || role === 'Admin';
    const refused = answer.code === Code.PermissionDenied && answer.message.startsWith(`${rpc.split('/')[1]} is for instance administrators`);
    if (admitted) return answer.code === Code.PermissionDenied || answer.code === Code.Unauthenticated ? `${seen} (expected allowed)` : undefined;
    return refused ? undefined : `${seen} (expected PermissionDenied: for instance administrators)`;
  }
  if (outcome === 'public' || outcome.includes(role[0]!))
    return answer.code === Code.PermissionDenied || answer.code === Code.Unauthenticated ? `${seen} (expected allowed)` : undefined;
  const named = new RegExp(`^${rpc} needs (the permissions? |one of the permissions )`).test(answer.message);
  return answer.code === Code.PermissionDenied && named ? undefined : `${seen} (expected PermissionDenied naming the permission)`;
}

describe.each(['sqlite', 'postgres'] as const)('every rpc for every built-in role on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect);

  it.each(BUILT_IN)('answers a key of the %s role as the table says', async (role) => {
    const key = await keyWithRoles(plane, [(await roleIds(plane)).get(role)!]);
    const transport = grpcTransport(plane);
    const mismatches: string[] = [];
    for (const { service, method } of served) {
      const rpc = `${service}/${method.name}`;
      const answer = await callWithAccount(transport, method, plane.cp.accountId, key);
      const why = mismatch(table[service]![method.name]!, role, answer, rpc);
      if (why) mismatches.push(why);
    }
    expect(mismatches).toEqual([]);
  });
});
