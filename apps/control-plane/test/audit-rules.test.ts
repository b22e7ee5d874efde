// The audit trail's rules, from the descriptors of every served method: which rpcs are changes,
// which object each names, which have a Get for their `before`, and what redaction keeps.
import { getOption } from '@bufbuild/protobuf';
import { commonV1, qhcV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { getMethodOf } from '../src/cloud/audit/before.ts';
import { socketAddressOf as remoteAddressOf } from '../src/cloud/remote-address.ts';
import { CHANGES, fullName, isMutating, NOT_CHANGES } from '../src/cloud/audit/mutating.ts';
import { bounded, MAX_SUMMARY_BYTES, redact, REDACTED } from '../src/cloud/audit/summary.ts';
import { CLOUD_SERVICES } from '../src/cloud/services.ts';
import { BUILT_IN_ROLES } from '../src/iam/built-in-roles.ts';

const served = CLOUD_SERVICES.flatMap((s) => s.service.methods);
const permissionsOf = (method: (typeof served)[number]) =>
  getOption(method, commonV1.permissions)
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter(Boolean);

const byName = (name: string) => served.find((m) => fullName(m) === name)!;

const WRITE = /^(write|delete|restore):/;
/** Whether a caller needs a write:, delete: or restore: permission (all of them listed, or any one). */
function needsWrite(method: (typeof served)[number]): boolean {
  const permissions = permissionsOf(method);
  if (getOption(method, commonV1.requires_all_permissions)) return permissions.some((p) => WRITE.test(p));
  return permissions.length > 0 && permissions.every((p) => WRITE.test(p));
}

describe('which rpcs are changes', () => {
  it('every rpc with a write:, delete: or restore: permission is a change, unless listed as none', () => {
    const writes = served.filter(needsWrite);
    expect(writes.length).toBeGreaterThan(20);
    for (const method of writes) expect(isMutating(method) || NOT_CHANGES.has(fullName(method)), fullName(method)).toBe(true);
    for (const name of NOT_CHANGES.keys()) expect(isMutating(served.find((m) => fullName(m) === name)!), name).toBe(false);
  });

  it('no rpc a read: permission allows is a change, unless listed as one', () => {
    const reads = served.filter((m) => !needsWrite(m) && permissionsOf(m).some((p) => p.startsWith('read:')));
    expect(reads.length).toBeGreaterThan(15);
    for (const method of reads) expect(isMutating(method) && !CHANGES.has(fullName(method)), fullName(method)).toBe(false);
  });

  it('every exception names a served method', () => {
    const names = new Set(served.map(fullName));
    for (const name of [...NOT_CHANGES.keys(), ...CHANGES.keys()]) expect(names.has(name), name).toBe(true);
  });

  it('sign-in, sign-up and sign-out are changes; the audit log itself is read only', () => {
    expect(isMutating(byName('qhc.v1.SessionService/CreateSession'))).toBe(true);
    expect(isMutating(byName('qhc.v1.SessionService/DeleteSession'))).toBe(true);
    expect(isMutating(byName('qhc.v1.SessionService/GetSession'))).toBe(false);
    expect(isMutating(qhcV1.AuditLogService.method.listAuditEvents)).toBe(false);
  });
});

describe('before: the Get an Update or Delete is preceded by', () => {
  it('every served Update and Delete rpc has its Get, but those listed', () => {
    const changes = served.filter((m) => /^(Update|Delete)/.test(m.name));
    const withoutGet = changes.filter((m) => !getMethodOf(m)).map(fullName);
    // No Get to ask: keys are shown once and then only listed; IAMService has no GetUser (only the
    // caller's own, GetAuthenticatedUser) and no MFA methods to get (qhc has none: Unimplemented).
    expect(withoutGet.toSorted()).toEqual([
      'qdrant.cloud.auth.v1.AuthService/DeleteManagementKey',
      'qdrant.cloud.cluster.auth.v2.DatabaseApiKeyService/DeleteDatabaseApiKey',
      'qdrant.cloud.iam.v1.IAMService/DeleteUser',
      'qdrant.cloud.iam.v1.IAMService/DeleteUserMfaMethod',
      'qdrant.cloud.iam.v1.IAMService/UpdateUser',
      'qdrant.cloud.iam.v1.IAMService/UpdateUserMfaMethod',
    ]);
  });
});

describe('the audit log is read with read:audit_log', () => {
  it('ListAuditEvents requires read:audit_log, which Owner and Admin have and the others lack', () => {
    expect(getOption(qhcV1.AuditLogService.method.listAuditEvents, commonV1.permissions)).toEqual(['read:audit_log']);
    const holders = BUILT_IN_ROLES.filter((r) => r.permissions.includes('read:audit_log')).map((r) => r.name);
    expect(holders.toSorted()).toEqual(['Admin', 'Owner']);
  });
});

describe('redaction and size', () => {
  it('replaces secret fields at any depth and credential-shaped text anywhere', () => {
    const input = {
      name: 'k',
      key: 'qhc_m_secretvalue123456',
      keyPrefix: 'qhc_m_abc',
      nested: [{ password: 'p', clientSecret: 'c', csrfToken: 't', registryPassword: 'r', commands: ['x'] }],
      note: 'curl https://cp/install/qhc_b_abcdefghijklmnop | bash',
    };
    expect(redact(input)).toEqual({
      name: 'k',
      key: REDACTED,
      keyPrefix: 'qhc_m_abc',
      nested: [{ password: REDACTED, clientSecret: REDACTED, csrfToken: REDACTED, registryPassword: REDACTED, commands: REDACTED }],
      note: `curl https://cp/install/${REDACTED} | bash`,
    });
  });

  it('keeps a summary under 8 KiB, still one JSON document', () => {
    const big = { items: Array.from({ length: 2000 }, (_, i) => `item-${i}`) };
    const text = bounded(big);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(JSON.parse(text)).toMatchObject({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(big)) });
    expect(bounded({ a: 1 })).toBe('{"a":1}');
  });
});

/** A request from `remoteAddress` claiming, in a header, to come from elsewhere. */
const addressFrom = (remoteAddress: string | undefined) =>
  remoteAddressOf({ socket: { remoteAddress }, headers: { 'x-forwarded-for': '203.0.113.9' } } as never);

describe("the caller's address", () => {
  it("is the socket's peer, an IPv4 peer of a dual-stack socket without ::ffff:", () => {
    expect([addressFrom('::ffff:10.0.0.1'), addressFrom('::1'), addressFrom('192.0.2.1'), addressFrom(undefined)]).toEqual([
      '10.0.0.1',
      '::1',
      '192.0.2.1',
      undefined,
    ]);
  });
});
