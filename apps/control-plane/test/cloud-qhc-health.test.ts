// qhc.v1 over gRPC (HTTP/2 + TLS): an environment's health as its agent reports it, and the console
// session rpcs (the cookie is Secure over TLS).
import { Code, type ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { cloudPlane, failure, MANAGEMENT_KEY } from './support/cloud.ts';
import { healthReport, qhcClients, report, seedRegion } from './support/qhc.ts';

describe('environment health over gRPC', () => {
  const plane = cloudPlane('sqlite');
  const ids = (regionId: string) => ({ accountId: plane.cp.accountId, hybridCloudEnvironmentId: regionId });

  it('is empty before the agent reports, then what it reported', async () => {
    const { environments } = qhcClients(plane);
    const region = await seedRegion(plane, 'health');
    const before = (await environments.getEnvironmentHealth(ids(region.id), { headers: plane.auth() })).health!;
    expect(before).toMatchObject({ revision: BigInt(region.revision), appliedRevision: 0n, components: [], canCreateClusters: false, reason: '' });
    expect([before.lastSeenAt, before.installation, before.report]).toEqual([undefined, undefined, undefined]);

    const installation = { managedBy: 'Helm' as const, upToDate: false, desiredHash: 'h2', installedHash: 'h1', message: 'values differ' };
    const health = healthReport({ canCreateClusters: false, reason: 'no default storage class' });
    await report(plane, region.id, { appliedRevision: region.revision, region: { phase: 'Ready', installation }, health });
    const after = (await environments.getEnvironmentHealth(ids(region.id), { headers: plane.auth() })).health!;
    expect(after).toMatchObject({
      appliedRevision: BigInt(region.revision),
      installation: { managedBy: 'Helm', upToDate: false, message: 'values differ' },
      components: [
        { name: 'qhc-operator', version: '0.1.0', ready: true, message: '' },
        { name: 'qhc-agent', version: '0.0.9', ready: false, message: 'rolling out' },
      ],
      canCreateClusters: false,
      reason: 'no default storage class',
    });
    expect(after.lastSeenAt).toBeDefined();
    expect(after.report).toMatchObject({ phase: 'Ready', health: { kubernetes: { version: 'v1.37.2', distribution: 'kwok' } } });
  });
});

describe('console session rpcs over gRPC', () => {
  const plane = cloudPlane('sqlite');

  it('sets a Secure cookie over TLS, reads the session from it, and ends it with the CSRF token', async () => {
    const { sessions } = qhcClients(plane);
    let setCookie = '';
    const created = await sessions.createSession({ managementKey: MANAGEMENT_KEY }, { onHeader: (h) => (setCookie = h.get('set-cookie') ?? '') });
    expect(setCookie).toMatch(/^qhc_cloud_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/);
    const cookie = setCookie.split(';')[0]!;
    expect((await sessions.getSession({}, { headers: { cookie } })).session).toEqual(created.session);
    const noCsrf = await failure(sessions.deleteSession({}, { headers: { cookie } }));
    expect((noCsrf as ConnectError).code).toBe(Code.Unauthenticated);
    await sessions.deleteSession({}, { headers: { cookie, 'x-csrf-token': created.session!.csrfToken } });
    expect(((await failure(sessions.getSession({}, { headers: { cookie } }))) as ConnectError).code).toBe(Code.Unauthenticated);
  });

  it('a management key alone names no session to end', async () => {
    const { sessions } = qhcClients(plane);
    const refused = await failure(sessions.deleteSession({}, { headers: plane.auth() }));
    expect([(refused as ConnectError).code, (refused as ConnectError).rawMessage]).toEqual([
      Code.Unauthenticated,
      'not signed in (no session cookie, or the session ended)',
    ]);
  });
});
