// The REST route table and request mapping, read from every service @qhc/cloud-api describes
// (not only those served yet): templates, path variables, query parameters, bodies, OpenAPI.
import { create, type DescService } from '@bufbuild/protobuf';
import { authV1, backupV1, bookingV1, clusterV1, databaseApiKeyV2, hybridV1 } from '@qhc/cloud-api';
import { describe, expect, it } from 'vitest';
import { accountField, checkAccountFields, valueAt } from '../src/cloud/auth.ts';
import { requestMessage } from '../src/cloud/rest/request.ts';
import { compileTemplate, restRoutes, routeFor, type RestRoute } from '../src/cloud/rest/routes.ts';
import { openApiDocument } from '../src/cloud/rest/openapi.ts';

const SERVICES: DescService[] = [
  authV1.AuthService,
  clusterV1.ClusterService,
  hybridV1.HybridCloudService,
  backupV1.BackupService,
  bookingV1.BookingService,
  databaseApiKeyV2.DatabaseApiKeyService,
];
const routes = restRoutes(SERVICES);
const routeOf = (method: string) => routes.find((r) => r.method.name === method)!;
/** The method the gateway calls for a verb and path. */
const at = (verb: string, path: string) =>
  routeFor(
    routes.filter((r) => r.pattern.test(path)),
    verb,
  )?.method.name;
const matchOf = (route: RestRoute, path: string) => route.pattern.exec(path)!.slice(1);

describe('the route table', () => {
  it('has a route for every unary rpc with a google.api.http option, of every service', () => {
    const rpcs = SERVICES.flatMap((s) => s.methods.map((m) => `${s.typeName}/${m.name}`));
    expect(routes.map((r) => `${r.service.typeName}/${r.method.name}`).toSorted()).toEqual(rpcs.toSorted());
    expect(routeOf('CreateManagementKey')).toMatchObject({ verb: 'POST', body: '*', variables: [{ path: 'management_key.account_id', multi: false }] });
  });

  it('prefers a literal segment to a variable, and tells verbs apart', () => {
    expect(at('GET', '/api/cluster/v1/accounts/a/clusters/suggest-name')).toBe('SuggestClusterName');
    expect(at('GET', '/api/cluster/v1/accounts/a/clusters/c1')).toBe('GetCluster');
    expect(at('DELETE', '/api/cluster/v1/accounts/a/clusters/c1')).toBe('DeleteCluster');
    expect(at('PATCH', '/api/cluster/v1/accounts/a/clusters/c1')).toBeUndefined();
  });

  it('compiles templates: one-segment variables, the `=**` form and literals', () => {
    const plain = compileTemplate('/v1/accounts/{account_id}/keys/{key.id}');
    expect(plain.variables).toEqual([
      { path: 'account_id', multi: false },
      { path: 'key.id', multi: false },
    ]);
    expect(plain.pattern.exec('/v1/accounts/a/keys/k')?.slice(1)).toEqual(['a', 'k']);
    expect(plain.pattern.test('/v1/accounts/a/b/keys/k')).toBe(false);
    const deep = compileTemplate('/v1/{name=projects/*/files/**}.json');
    expect(deep.variables).toEqual([{ path: 'name', multi: true }]);
    expect(deep.pattern.exec('/v1/projects/p/files/a/b.json')?.slice(1)).toEqual(['projects/p/files/a/b']);
    expect(deep.pattern.test('/v1/projects/p/other/a.json')).toBe(false);
  });
});

describe('account fields', () => {
  it('finds the account field of every rpc, from its account_id_expression or `account_id`', () => {
    expect(() => checkAccountFields(SERVICES)).not.toThrow();
    expect(accountField(routeOf('CreateManagementKey').method)).toBe('management_key.account_id');
    expect(accountField(routeOf('UpdateCluster').method)).toBe('cluster.account_id');
    expect(accountField(routeOf('DeleteCluster').method)).toBe('account_id');
    expect(() => valueAt(authV1.ManagementKeySchema, undefined, 'owner.id')).toThrow('qdrant.cloud.auth.v1.ManagementKey has no field owner.id');
  });
});

describe('request messages from REST requests', () => {
  it('sets path variables, nested ones too, over what the body says', () => {
    const route = routeOf('UpdateCluster');
    const body = { cluster: { id: 'from-body', name: 'c1', configuration: { numberOfNodes: 3 } } };
    const message = requestMessage(route, matchOf(route, '/api/cluster/v1/accounts/acc/clusters/cid'), new URLSearchParams(), body);
    expect(message).toEqual(
      create(clusterV1.UpdateClusterRequestSchema, { cluster: { accountId: 'acc', id: 'cid', name: 'c1', configuration: { numberOfNodes: 3 } } }),
    );
  });

  it('maps query parameters by proto and JSON names, bools as true/false, and names a bad one', () => {
    const route = routeOf('DeleteCluster');
    const path = matchOf(route, '/api/cluster/v1/accounts/acc/clusters/cid');
    const byName = requestMessage(route, path, new URLSearchParams('delete_backups=true&force=false'), undefined);
    const byJsonName = requestMessage(route, path, new URLSearchParams('deleteBackups=true&force=false'), undefined);
    const expected = create(clusterV1.DeleteClusterRequestSchema, { accountId: 'acc', clusterId: 'cid', deleteBackups: true, force: false });
    expect([byName, byJsonName]).toEqual([expected, expected]);
    expect(() => requestMessage(route, path, new URLSearchParams('force=yes'), undefined)).toThrow('query parameter force: expected true or false, got "yes"');
    const list = routeOf('ListClusters');
    const listed = requestMessage(list, matchOf(list, '/api/cluster/v1/accounts/acc/clusters'), new URLSearchParams('page_size=20&pageToken=t'), undefined);
    expect(listed).toMatchObject({ accountId: 'acc', pageSize: 20, pageToken: 't' });
    expect(() => requestMessage(list, ['acc'], new URLSearchParams('page_size=many'), undefined)).toThrow(
      'the path or query: cannot decode field qdrant.cloud.cluster.v1.ListClustersRequest.page_size from JSON: expected number (int32), got "many"',
    );
  });

  it('refuses unknown body fields and query parameters with a `*` body', () => {
    const route = routeOf('CreateManagementKey');
    expect(() => requestMessage(route, ['acc'], new URLSearchParams(), { managementKey: { colour: 1 } })).toThrow(
      /the request body: .*key "colour" is unknown/,
    );
    expect(() => requestMessage(route, ['acc'], new URLSearchParams('x=1'), {})).toThrow(
      'query parameter x: CreateManagementKey takes every field from the body',
    );
  });
});

describe('the OpenAPI document', () => {
  const document = openApiDocument(routes) as {
    paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; requestBody?: unknown; security?: unknown[] }>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  it('lists every route with its path and query parameters and its body', () => {
    const operations = Object.entries(document.paths).flatMap(([path, verbs]) => Object.keys(verbs).map((verb) => `${verb.toUpperCase()} ${path}`));
    expect(operations.toSorted()).toEqual(routes.map((r) => `${r.verb} ${r.template}`).toSorted());
    const del = document.paths['/api/cluster/v1/accounts/{account_id}/clusters/{cluster_id}']!.delete!;
    expect(del.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:account_id', 'path:cluster_id', 'query:delete_backups', 'query:force']);
    expect(document.paths['/api/auth/v1/accounts/{management_key.account_id}/management-keys']!.post!.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/qdrant.cloud.auth.v1.CreateManagementKeyRequest' } } },
    });
    expect(Object.keys(document.components.schemas['qdrant.cloud.auth.v1.ManagementKey']!.properties!)).toEqual([
      'id',
      'accountId',
      'createdAt',
      'prefix',
      'key',
    ]);
  });

  it('has a schema for every reference it makes', () => {
    const refs = [...JSON.stringify(document).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) expect(document.components.schemas, ref).toHaveProperty([ref]);
  });
});
