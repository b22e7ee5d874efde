// The whole hybrid cloud on one machine, the way a user meets it: a control plane (SQLite,
// HTTPS under a private CA), a Kubernetes cluster (the kube sandbox) attached as a region by
// running the generated installation script with kubectl, the operator and the agent for that
// region, and an example Qdrant cluster; the region and the cluster are made through the Cloud
// API (gRPC with a management key), as the Terraform provider and qcloud make them.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { Agent, fetch } from 'undici';
import { startAgent, type RunningAgent } from '@qhc/agent';
import { bookingV1, clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { createKubeClient, createLogger, loadKubeConfig, type Logger } from '@qhc/kube';
import { createLoopbackTls, startSandbox, waitFor, type Sandbox } from '@qhc/kube-sandbox';
import { startOperator, type RunningOperator } from '@qhc/operator';

export interface DemoOptions {
  /** Where the database, certificates and settings go. */
  workDir: string;
  region?: string;
  namespace?: string;
  clusterSize?: number;
  logger?: Logger;
  say?: (line: string) => void;
}

export interface RunningDemo {
  controlPlaneUrl: string;
  /** The account the management key belongs to (the Cloud API's account_id). */
  accountId: string;
  /** The management key the control plane made at its first start: `authorization: apikey <key>`. */
  managementKey: string;
  caPath: string;
  kubeconfigPath: string;
  namespace: string;
  stop(): Promise<void>;
}

type Stops = Array<() => Promise<unknown>>;

/** The Cloud API's clients for the demo's account, over gRPC (HTTP/2, TLS under the run's CA) as Terraform and qcloud call it. */
export interface CloudClients {
  accountId: string;
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  clusters: Client<typeof clusterV1.ClusterService>;
  booking: Client<typeof bookingV1.BookingService>;
  environments: Client<typeof qhcV1.EnvironmentAgentService>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const say = options.say ?? ((line: string) => console.log(line));
  const logger = options.logger ?? createLogger({ level: 'warn', component: 'qhc-demo' });
  const region = options.region ?? 'demo';
  const namespace = options.namespace ?? 'qdrant-demo';
  mkdirSync(options.workDir, { recursive: true });
  const stops: Stops = [];
  const stop = async () => {
    for (const s of stops.toReversed()) await s().catch(() => undefined);
  };
  try {
    say('starting the Kubernetes sandbox (kube-apiserver, controller-manager, scheduler, etcd, kwok) ...');
    const sandbox: Sandbox = await startSandbox();
    stops.push(() => sandbox.stop());
    const { cp, tls, managementKey, api, trusted } = await startDemoControlPlane(options.workDir, logger, stops);
    say(`control plane: ${cp.url}`);
    const environmentId = await installRegion({
      api,
      trusted,
      workDir: options.workDir,
      region,
      namespace,
      ca: tls.ca,
      kubeconfigPath: sandbox.kubeconfigPath,
      say,
    });
    await startRegionComponents(
      { cp, ca: tls.ca, kubeconfigPath: sandbox.kubeconfigPath, workDir: options.workDir, region: environmentId, namespace, logger },
      stops,
    );
    say('agent connected (outgoing HTTPS only)');
    await createExampleCluster(api, environmentId, options.clusterSize ?? 3, say);
    return { controlPlaneUrl: cp.url, accountId: cp.accountId, managementKey, caPath: tls.caPath, kubeconfigPath: sandbox.kubeconfigPath, namespace, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The control plane under a private CA (it makes the account and its first management key), and the Cloud API clients the demo calls it with. */
async function startDemoControlPlane(workDir: string, logger: Logger, stops: Stops) {
  const tls = await createLoopbackTls(join(workDir, 'tls'), 'qhc-control-plane');
  const cp: RunningControlPlane = await startControlPlane({
    database: join(workDir, 'control-plane.db'),
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    logger: logger.with({ component: 'qhc-control-plane' }),
  });
  stops.push(() => cp.stop());
  if (!cp.generatedManagementKey) throw new Error('the control plane made no management key at its first start');
  const managementKey = cp.generatedManagementKey;
  const apikey: Interceptor = (next) => (req) => {
    req.header.set('authorization', `apikey ${managementKey}`);
    return next(req);
  };
  const transport = createGrpcTransport({ baseUrl: cp.url, nodeOptions: { ca: tls.ca }, interceptors: [apikey] });
  const api: CloudClients = {
    accountId: cp.accountId,
    hybrid: createClient(hybridV1.HybridCloudService, transport),
    clusters: createClient(clusterV1.ClusterService, transport),
    booking: createClient(bookingV1.BookingService, transport),
    environments: createClient(qhcV1.EnvironmentAgentService, transport),
  };
  const trusted = new Agent({ connect: { ca: tls.ca } });
  stops.push(() => trusted.close());
  return { cp, tls, managementKey, api, trusted };
}

interface RegionInstall {
  api: CloudClients;
  trusted: Agent;
  workDir: string;
  region: string;
  namespace: string;
  ca: string;
  kubeconfigPath: string;
  say: (line: string) => void;
}

/** The environment (= region) created once through the Cloud API, then its generated installation script run with kubectl; its id. */
async function installRegion({ api, trusted, workDir, region, namespace, ca, kubeconfigPath, say }: RegionInstall): Promise<string> {
  const { accountId } = api;
  const existing = (await api.hybrid.listHybridCloudEnvironments({ accountId })).items.find((e) => e.name === region);
  const environment =
    existing ??
    (await api.hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: { accountId, name: region, configuration: { namespace, caCertificates: ca } } }))
      .hybridCloudEnvironment!;
  const { installation } = await api.environments.createInstallation({ accountId, hybridCloudEnvironmentId: environment.id });
  say(`installing the region with: ${installation!.command}`);
  const script = join(workDir, 'install.sh');
  writeFileSync(script, await (await fetch(installation!.scriptUrl, { dispatcher: trusted })).text(), { mode: 0o700 });
  // Asynchronously: the script's preflight calls this process's control plane, which must be free to answer.
  const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile('bash', [script], { env: { ...process.env, KUBECONFIG: kubeconfigPath } }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
  if (run.status !== 0) throw new Error(`the installation script failed (is kubectl installed?):\n${run.stdout}${run.stderr}`);
  return environment.id;
}

interface RegionComponents {
  cp: RunningControlPlane;
  ca: string;
  kubeconfigPath: string;
  workDir: string;
  /** The region's name in its installation (QHC_REGION): the environment's id. */
  region: string;
  namespace: string;
  logger: Logger;
}

/** The operator and the agent of the region, in this process; resolves once the agent is connected. */
async function startRegionComponents({ cp, ca, kubeconfigPath, workDir, region, namespace, logger }: RegionComponents, stops: Stops): Promise<void> {
  const settingsPath = join(workDir, 'operator-settings.yaml');
  writeFileSync(settingsPath, 'settings:\n  app_environment: local\n');
  const operator: RunningOperator = await startOperator({
    settingsPath,
    kubeconfigPath,
    namespace,
    leaseNamespace: namespace,
    leaderElection: false,
    port: 0,
    logger: logger.with({ component: 'qhc-operator' }),
  });
  stops.push(() => operator.stop());
  const kube = createKubeClient(loadKubeConfig({ kubeconfigPath }), { fieldManager: 'qhc-agent' });
  const agent: RunningAgent = await startAgent({
    client: kube,
    namespace,
    region,
    controlPlane: { url: cp.url, ca },
    logger: logger.with({ component: 'qhc-agent' }),
    statusIntervalMs: 1_000,
  });
  stops.push(() => agent.stop());
  await waitFor('the agent to connect', async () => (agent.connected() ? true : undefined), { timeoutMs: 30_000 });
}

/** The example cluster (the smallest package) created through the Cloud API once, waited for until Healthy. */
async function createExampleCluster(api: CloudClients, environmentId: string, size: number, say: (line: string) => void): Promise<void> {
  const { accountId } = api;
  const list = { accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId };
  let cluster = (await api.clusters.listClusters(list)).items.find((c) => c.name === 'example');
  if (!cluster) {
    const packages = (await api.booking.listPackages({ accountId, cloudProviderId: 'hybrid', cloudProviderRegionId: environmentId })).items;
    const configuration = { numberOfNodes: size, version: 'v1.16.2', packageId: packages[0]!.id };
    cluster = (await api.clusters.createCluster({ cluster: { ...list, name: 'example', configuration } })).cluster!;
  }
  say('creating the example cluster ...');
  const clusterId = cluster.id;
  await waitFor(
    'the example cluster to be Healthy in the control plane',
    async () => ((await api.clusters.getCluster({ accountId, clusterId })).cluster?.state?.phase === clusterV1.ClusterPhase.HEALTHY ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 500 },
  );
  say('the example cluster is Healthy');
}
