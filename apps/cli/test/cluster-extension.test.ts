// `qhc cluster pause|unpause|expose --region` against a stand-in control plane: what the Cloud
// API's Cluster has no field for goes to qhc.v1.ClusterExtensionService (the Cluster is not sent),
// the ingress as answered changed only where the flags say; refusals print the server's message.
import { create, toJson, type JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACCOUNT_ID, cloudEnv, clusterFixture, environmentFixture, qhc, stubCloudApi, uuid } from './support.ts';

const ENV_ID = uuid(1);
const CLUSTER_ID = uuid(2);
const IDS = { accountId: ACCOUNT_ID, clusterId: CLUSTER_ID };

/** An ingress qhc did not make: its fields must come back as answered. */
const answeredIngress = () =>
  create(qhcV1.ClusterIngressSchema, {
    enabled: true,
    host: 'old.example.com',
    annotations: [{ key: 'keep', value: 'me' }],
    nginx: { allowedSourceRanges: ['10.0.0.0/8'], grpcHost: 'grpc.example.com' },
  });

let ingress: qhcV1.ClusterIngress | undefined;
const sent: Array<{ rpc: string; body: JsonObject }> = [];
const record = <T extends object>(rpc: string, schema: Parameters<typeof toJson>[0], req: T) =>
  sent.push({ rpc, body: toJson(schema, req as never) as JsonObject });

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  const cluster = clusterFixture('c', CLUSTER_ID, ENV_ID);
  server = await stubCloudApi((router) => {
    router.service(hybridV1.HybridCloudService, { listHybridCloudEnvironments: () => ({ items: [environmentFixture('r', ENV_ID)] }) });
    router.service(clusterV1.ClusterService, {
      listClusters: () => ({ items: [cluster] }),
      getCluster: () => ({ cluster }),
      updateCluster: (req) => (record('UpdateCluster', clusterV1.ClusterSchema, req.cluster!), { cluster: req.cluster! }),
    });
    router.service(qhcV1.ClusterExtensionService, {
      pauseCluster: (req) => {
        if (req.owner === 'bad') throw new ConnectError('owner: must be at most 63 characters, got 64', Code.InvalidArgument);
        record('PauseCluster', qhcV1.PauseClusterRequestSchema, req);
        return { items: [{ owner: req.owner, reason: req.reason }] };
      },
      unpauseCluster: (req) => (record('UnpauseCluster', qhcV1.UnpauseClusterRequestSchema, req), { items: [] }),
      getClusterIngress: () => ({ ingress }),
      setClusterIngress: (req) => (record('SetClusterIngress', qhcV1.SetClusterIngressRequestSchema, req), (ingress = req.ingress), { ingress }),
    });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  ingress = answeredIngress();
  sent.length = 0;
});

const run = (args: string[]) => qhc([...args, '--region', 'r'], cloudEnv(server.url));

describe('qhc cluster pause and unpause through the control plane', () => {
  it('pause sends PauseCluster (qhc-cli by default, or --owner) and no Cluster', async () => {
    const paused = await run(['cluster', 'pause', 'c', '--reason', 'disk swap']);
    expect([paused.code, paused.stderr]).toEqual([0, 'cluster c: paused\n']);
    const owned = await run(['cluster', 'pause', 'c', '--owner', 'ops']);
    expect(owned.code, owned.stderr).toBe(0);
    expect(sent).toEqual([
      { rpc: 'PauseCluster', body: { ...IDS, owner: 'qhc-cli', reason: 'disk swap' } },
      { rpc: 'PauseCluster', body: { ...IDS, owner: 'ops', reason: 'paused with qhc' } },
    ]);
  });

  it('unpause sends UnpauseCluster for its owner', async () => {
    for (const args of [[], ['--owner', 'ops']]) {
      const unpaused = await run(['cluster', 'unpause', 'c', ...args]);
      expect([unpaused.code, unpaused.stderr]).toEqual([0, 'cluster c: unpaused\n']);
    }
    expect(sent).toEqual([
      { rpc: 'UnpauseCluster', body: { ...IDS, owner: 'qhc-cli' } },
      { rpc: 'UnpauseCluster', body: { ...IDS, owner: 'ops' } },
    ]);
  });

  it("prints the server's refusal with its code (exit 2); --dry-run prints the request and sends nothing", async () => {
    const refused = await run(['cluster', 'pause', 'c', '--owner', 'bad']);
    expect([refused.code, refused.stderr]).toEqual([2, 'error: owner: must be at most 63 characters, got 64 (INVALID_ARGUMENT)\n']);
    const dry = await run(['cluster', 'pause', 'c', '--reason', 'why', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parse(dry.stdout)).toEqual({ PauseCluster: { ...IDS, owner: 'qhc-cli', reason: 'why' } });
    expect(sent).toEqual([]);
  });
});

describe('qhc cluster expose through the control plane', () => {
  it('sends the ingress as answered with only the flags changed, and no Cluster', async () => {
    const exposed = await run(['cluster', 'expose', 'c', '--ingress-host', 'q.example.com', '--ingress-tls-secret', 'q-tls', '--ingress-annotation', 'a=1']);
    expect([exposed.code, exposed.stderr]).toEqual([0, 'cluster c: ingress changed\n']);
    const disabled = await run(['cluster', 'expose', 'c', '--no-ingress', '--ingress-annotation', 'keep-']);
    expect(disabled.code, disabled.stderr).toBe(0);
    const nginx = { allowedSourceRanges: ['10.0.0.0/8'], grpcHost: 'grpc.example.com' };
    const set = { enabled: true, host: 'q.example.com', tls: true, tlsSecretName: 'q-tls', nginx };
    expect(sent).toEqual([
      {
        rpc: 'SetClusterIngress',
        body: {
          ...IDS,
          ingress: {
            ...set,
            annotations: [
              { key: 'keep', value: 'me' },
              { key: 'a', value: '1' },
            ],
          },
        },
      },
      { rpc: 'SetClusterIngress', body: { ...IDS, ingress: { ...set, enabled: false, annotations: [{ key: 'a', value: '1' }] } } },
    ]);
  });

  it('makes an ingress where there is none; --type goes to the configuration (UpdateCluster) beside it', async () => {
    ingress = undefined;
    const exposed = await run(['cluster', 'expose', 'c', '--type', 'LoadBalancer', '--ingress-class', 'nginx']);
    expect([exposed.code, exposed.stderr]).toEqual([0, 'cluster c: exposed as LoadBalancer, ingress changed\n']);
    expect(sent.map((s) => s.rpc)).toEqual(['UpdateCluster', 'SetClusterIngress']);
    expect(sent[0]!.body).toMatchObject({ configuration: { serviceType: 'CLUSTER_SERVICE_TYPE_LOAD_BALANCER' } });
    expect(sent[1]!.body).toEqual({ ...IDS, ingress: { enabled: true, ingressClassName: 'nginx' } });
  });

  it('is a usage error (exit 2) without --type or an ingress flag; --dry-run sends nothing', async () => {
    const nothing = await run(['cluster', 'expose', 'c']);
    expect([nothing.code, nothing.stderr]).toEqual([2, 'error: nothing to change\nhint: give --type or an --ingress… flag\n']);
    const dry = await run(['cluster', 'expose', 'c', '--ingress-host', 'q.example.com', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parse(dry.stdout)).toEqual({
      SetClusterIngress: { ...IDS, ingress: { ...(toJson(qhcV1.ClusterIngressSchema, answeredIngress()) as JsonObject), host: 'q.example.com' } },
    });
    expect(sent).toEqual([]);
  });
});
