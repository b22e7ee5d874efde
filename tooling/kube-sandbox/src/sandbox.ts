import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { locateBinaries, type SandboxBinaries } from './binaries.ts';
import { SandboxClient, objectPath, type Credentials } from './http.ts';
import { adminKubeconfig } from './kubeconfig.ts';
import { createPki, type Pki } from './pki.ts';
import { freePorts } from './ports.ts';
import type { ManagedProcess } from './process.ts';
import { ProcessGroup } from './process-group.ts';
import { apiserverArgs, componentArgs, controllerManagerArgs, etcdArgs, kwokArgs, type SandboxPorts } from './control-plane-args.ts';
import { startSandboxControllers, type SandboxControllers } from './controllers.ts';
import { waitFor } from './wait.ts';
import { startReaper } from './reaper-start.ts';

const MANIFESTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'manifests');

export interface SandboxOptions {
  /** Keep the work folder (logs, PKI, etcd data) after stop(). Default: only when start-up failed. */
  keepWorkDir?: boolean;
  /** Run the test snapshot controller and PVC resizer in this process. Default true. */
  controllers?: boolean;
  /** Called with progress lines (JSON) during start-up. */
  log?: (line: string) => void;
}

export interface Sandbox extends Credentials {
  /** The admin kubeconfig, as YAML text with embedded certificates. */
  kubeconfig: string;
  kubeconfigPath: string;
  workDir: string;
  logsDir: string;
  client: SandboxClient;
  controllers: SandboxControllers | undefined;
  /** PIDs of the running components, by name. */
  pids(): Record<string, number | undefined>;
  /** Stops and restarts the apiserver on the same address; resolves when it is ready again. */
  restartApiServer(): Promise<void>;
  /**
   * Stops etcd and starts it again on the same data folder and ports; resolves when the
   * apiserver, still running, answers /readyz again (it reconnects on its own).
   */
  restartEtcd(): Promise<void>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** What one sandbox is made of before any process runs: ports, PKI, credentials, kubeconfig. */
interface SandboxSetup extends Credentials {
  workDir: string;
  logsDir: string;
  ports: SandboxPorts;
  pki: Pki;
  kubeconfig: string;
  kubeconfigPath: string;
  client: SandboxClient;
}

interface ControlPlane {
  restartApiServer(): Promise<void>;
  restartEtcd(): Promise<void>;
}

/**
 * Starts a real Kubernetes control plane on loopback: embedded etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, and kwok playing one node's kubelet and the
 * volume provisioner. Every listener is on 127.0.0.1 on a free port; the PKI is new per run.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const progress = (msg: string, extra: Record<string, unknown> = {}) => log(JSON.stringify({ msg, ms: Date.now() - started, ...extra }));
  const binaries = locateBinaries();
  const workDir = await mkdtemp(join(tmpdir(), 'qhc-sandbox-'));
  const logsDir = join(workDir, 'logs');
  await mkdir(logsDir, { recursive: true });
  const group = new ProcessGroup(workDir, logsDir);
  let controllers: SandboxControllers | undefined;
  const stopAll = async () => {
    await controllers?.stop();
    await group.stopAll();
  };

  try {
    const setup = await prepare(workDir, logsDir);
    startReaper(workDir, group.pidFile);
    const plane = await startControlPlane(group, binaries, setup, progress);
    await startNodeComponents(group, binaries, setup);
    await waitForCluster(group, setup.client);
    if (options.controllers !== false) controllers = startSandboxControllers(setup.client);
    progress('sandbox ready', { kubeconfigPath: setup.kubeconfigPath });
    return sandboxHandle(setup, group, plane, controllers, async () => {
      await stopAll();
      if (!options.keepWorkDir) await rm(workDir, { recursive: true, force: true });
    });
  } catch (error) {
    await stopAll().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the kube sandbox did not start: ${message}\n(logs kept in ${logsDir})`, { cause: error });
  }
}

async function prepare(workDir: string, logsDir: string): Promise<SandboxSetup> {
  const [etcdClient, etcdPeer, api, kcm, scheduler, kwok] = (await freePorts(6)) as [number, number, number, number, number, number];
  const pki = await createPki(join(workDir, 'pki'));
  const credentials: Credentials = { server: `https://127.0.0.1:${api}`, caFile: pki.caCert, certFile: pki.adminCert, keyFile: pki.adminKey };
  const kubeconfig = adminKubeconfig(credentials);
  const kubeconfigPath = join(workDir, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
  const ports = { etcdClient, etcdPeer, api, kcm, scheduler, kwok };
  return { ...credentials, workDir, logsDir, ports, pki, kubeconfig, kubeconfigPath, client: new SandboxClient(credentials) };
}

/** etcd, then kube-apiserver, each waited for; restarts keep the start order. */
async function startControlPlane(group: ProcessGroup, binaries: SandboxBinaries, setup: SandboxSetup, progress: (msg: string) => void): Promise<ControlPlane> {
  const etcdHealthy = (proc: ManagedProcess) =>
    waitFor(
      'etcd to be healthy',
      async () => {
        if (proc.hasExited) throw new Error('etcd exited');
        const res = await fetch(`http://127.0.0.1:${setup.ports.etcdClient}/health`);
        return res.ok ? true : undefined;
      },
      { onTimeout: failedStart(proc) },
    );
  const apiserverReady = (proc: ManagedProcess) =>
    waitFor(
      'kube-apiserver /readyz',
      async () => {
        if (proc.hasExited) throw new Error('kube-apiserver exited');
        const res = await setup.client.request('GET', '/readyz');
        return res.status === 200 ? true : undefined;
      },
      { timeoutMs: 90_000, onTimeout: failedStart(proc) },
    );
  let etcd = await group.add('etcd', binaries.path('sandbox-etcd'), etcdArgs(setup.workDir, setup.ports));
  await etcdHealthy(etcd);
  progress('etcd ready');
  let apiserver = await group.add('kube-apiserver', binaries.path('kube-apiserver'), apiserverArgs(setup.workDir, setup.ports, setup.pki));
  await apiserverReady(apiserver);
  progress('kube-apiserver ready');
  return {
    async restartApiServer() {
      // Second in start order (after etcd), so stop() still stops the apiserver before etcd.
      apiserver = await group.restart(apiserver, 1);
      await apiserverReady(apiserver);
    },
    async restartEtcd() {
      // etcd stays first: stop() stops in reverse order, so it goes last.
      etcd = await group.restart(etcd, 0);
      await etcdHealthy(etcd);
      await apiserverReady(apiserver);
    },
  };
}

async function startNodeComponents(group: ProcessGroup, binaries: SandboxBinaries, setup: SandboxSetup): Promise<void> {
  const { workDir, kubeconfigPath, ports, pki } = setup;
  await group.add('kube-controller-manager', binaries.path('kube-controller-manager'), controllerManagerArgs(workDir, kubeconfigPath, ports, pki));
  await group.add('kube-scheduler', binaries.path('kube-scheduler'), componentArgs(workDir, kubeconfigPath, ports.scheduler, 'scheduler'));
  const kwokHome = join(workDir, 'kwok-home');
  await mkdir(kwokHome, { recursive: true });
  // kwok merges $HOME/.kwok/kwok.yaml into its config: give it an empty home.
  await group.add('kwok', binaries.path('kwok'), kwokArgs(kubeconfigPath, join(MANIFESTS, 'kwok-stages.yaml'), ports), { ...process.env, HOME: kwokHome });
}

/** The cluster objects installed, the fake node Ready, the default ServiceAccount made. */
async function waitForCluster(group: ProcessGroup, client: SandboxClient): Promise<void> {
  await installClusterObjects(client);
  await waitFor(
    'node sandbox-node-0 to be Ready',
    async () => {
      const node = await client.call<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', '/api/v1/nodes/sandbox-node-0', {
        allowNotFound: true,
      });
      return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    },
    { onTimeout: failedStart(group.named('kwok')) },
  );
  await waitFor(
    'the default ServiceAccount',
    async () => ((await client.call('GET', '/api/v1/namespaces/default/serviceaccounts/default', { allowNotFound: true })) ? true : undefined),
    { onTimeout: failedStart(group.named('kube-controller-manager')) },
  );
}

function sandboxHandle(
  setup: SandboxSetup,
  group: ProcessGroup,
  plane: ControlPlane,
  controllers: SandboxControllers | undefined,
  stopAndClean: () => Promise<void>,
): Sandbox {
  const { server, caFile, certFile, keyFile, kubeconfig, kubeconfigPath, workDir, logsDir, client } = setup;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopAndClean();
  };
  return {
    server,
    caFile,
    certFile,
    keyFile,
    kubeconfig,
    kubeconfigPath,
    workDir,
    logsDir,
    client,
    controllers,
    pids: () => group.pids(),
    restartApiServer: () => plane.restartApiServer(),
    restartEtcd: () => plane.restartEtcd(),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

async function readManifests(file: string): Promise<Manifest[]> {
  const text = await readFile(join(MANIFESTS, file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest)
    .filter(Boolean);
}

/** The snapshot CRDs, then (once they are served) the node, storage classes and snapshot class. */
async function installClusterObjects(client: SandboxClient): Promise<void> {
  const crds = await readManifests('volume-snapshot-crds.yaml');
  for (const crd of crds) await client.apply(objectPath(crd), crd);
  for (const crd of crds) {
    await waitFor(`CRD ${crd.metadata.name} to be established`, async () => {
      const current = await client.call<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', objectPath(crd));
      return current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    });
  }
  for (const object of await readManifests('cluster.yaml')) {
    const { status, ...rest } = object as Manifest & { status?: unknown };
    await client.apply(objectPath(object), rest);
    // A Node's capacity lives in its status, which apply to the main resource ignores.
    if (status && object.kind === 'Node') await client.apply(`${objectPath(object)}/status`, { ...rest, status });
  }
}

function failedStart(proc: ManagedProcess): () => string {
  return () => `${proc.spec.name} log (${proc.spec.logFile}):\n${proc.tail()}`;
}

export type { SandboxBinaries };
