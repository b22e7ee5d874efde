import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { locateBinaries, type SandboxBinaries } from './binaries.ts';
import { SandboxClient, objectPath, type Credentials } from './http.ts';
import { adminKubeconfig } from './kubeconfig.ts';
import { createPki } from './pki.ts';
import { freePorts } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { startSandboxControllers, type SandboxControllers } from './controllers.ts';
import { waitFor } from './wait.ts';

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

/**
 * Starts a real Kubernetes control plane on loopback: embedded etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, and kwok playing one node's kubelet and the
 * volume provisioner. Every listener is on 127.0.0.1 on a free port; the PKI is new per run.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const binaries = locateBinaries();
  const workDir = await mkdtemp(join(tmpdir(), 'qhc-sandbox-'));
  const logsDir = join(workDir, 'logs');
  await mkdir(logsDir, { recursive: true });
  const processes: ManagedProcess[] = [];
  const pidFile = join(workDir, 'pids');
  let controllers: SandboxControllers | undefined;

  const stopAll = async () => {
    await controllers?.stop();
    // Reverse start order: an apiserver whose etcd is gone hangs on shutdown.
    for (const proc of processes.toReversed()) await proc.stop();
    await rm(pidFile, { force: true });
  };

  try {
    const [etcdClientPort, etcdPeerPort, apiPort, kcmPort, schedulerPort, kwokPort] = (await freePorts(6)) as [number, number, number, number, number, number];
    const pki = await createPki(join(workDir, 'pki'));
    const server = `https://127.0.0.1:${apiPort}`;
    const credentials: Credentials = { server, caFile: pki.caCert, certFile: pki.adminCert, keyFile: pki.adminKey };
    const kubeconfig = adminKubeconfig(credentials);
    const kubeconfigPath = join(workDir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    startReaper(workDir, pidFile);

    const add = (name: string, command: string, args: string[], env?: NodeJS.ProcessEnv) => {
      const proc = new ManagedProcess({ name, command, args, env, logFile: join(logsDir, `${name}.log`), cwd: workDir });
      proc.start();
      processes.push(proc);
      return writeFile(pidFile, processes.map((p) => p.pid).join('\n')).then(() => proc);
    };

    const etcdArgs = [
      `--data-dir=${join(workDir, 'etcd')}`,
      `--listen-client-url=http://127.0.0.1:${etcdClientPort}`,
      `--listen-peer-url=http://127.0.0.1:${etcdPeerPort}`,
    ];
    let etcd = await add('etcd', binaries.path('sandbox-etcd'), etcdArgs);
    const waitForEtcd = (proc: ManagedProcess) =>
      waitFor(
        'etcd to be healthy',
        async () => {
          if (proc.hasExited) throw new Error('etcd exited');
          const res = await fetch(`http://127.0.0.1:${etcdClientPort}/health`);
          return res.ok ? true : undefined;
        },
        { onTimeout: failedStart(proc) },
      );
    await waitForEtcd(etcd);
    log(JSON.stringify({ msg: 'etcd ready', ms: Date.now() - started }));

    const apiserverArgs = [
      `--etcd-servers=http://127.0.0.1:${etcdClientPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--cert-dir=${join(workDir, 'apiserver-certs')}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      // Room for thousands of Services: benchmarks create two per cluster.
      '--service-cluster-ip-range=10.96.0.0/16',
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true',
      '--endpoint-reconciler-type=none',
      '--profiling=false',
    ];
    const client = new SandboxClient(credentials);
    let apiserver = await add('kube-apiserver', binaries.path('kube-apiserver'), apiserverArgs);
    const waitForApiserver = (proc: ManagedProcess) =>
      waitFor(
        'kube-apiserver /readyz',
        async () => {
          if (proc.hasExited) throw new Error('kube-apiserver exited');
          const res = await client.request('GET', '/readyz');
          return res.status === 200 ? true : undefined;
        },
        { timeoutMs: 90_000, onTimeout: failedStart(proc) },
      );
    await waitForApiserver(apiserver);
    log(JSON.stringify({ msg: 'kube-apiserver ready', ms: Date.now() - started }));

    const componentArgs = (port: number, name: string) => [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${join(workDir, `${name}-certs`)}`,
      '--leader-elect=false',
    ];
    await add('kube-controller-manager', binaries.path('kube-controller-manager'), [
      ...componentArgs(kcmPort, 'kcm'),
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--use-service-account-credentials=true',
      '--cluster-name=qhc-sandbox',
    ]);
    await add('kube-scheduler', binaries.path('kube-scheduler'), componentArgs(schedulerPort, 'scheduler'));
    const kwokHome = join(workDir, 'kwok-home');
    await mkdir(kwokHome, { recursive: true });
    await add(
      'kwok',
      binaries.path('kwok'),
      [
        `--kubeconfig=${kubeconfigPath}`,
        `--config=${join(MANIFESTS, 'kwok-stages.yaml')}`,
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--manage-nodes-with-label-selector=',
        '--manage-single-node=',
        '--node-ip=10.240.0.10',
        '--cidr=10.244.0.0/16',
        '--node-lease-duration-seconds=40',
        `--server-address=127.0.0.1:${kwokPort}`,
      ],
      // kwok merges $HOME/.kwok/kwok.yaml into its config: give it an empty home.
      { ...process.env, HOME: kwokHome },
    );

    await installClusterObjects(client);
    await waitFor(
      'node sandbox-node-0 to be Ready',
      async () => {
        const node = await client.call<{ status?: { conditions?: Array<{ type: string; status: string }> } }>('GET', '/api/v1/nodes/sandbox-node-0', {
          allowNotFound: true,
        });
        return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
      },
      { onTimeout: failedStart(processes.find((p) => p.spec.name === 'kwok')!) },
    );
    await waitFor(
      'the default ServiceAccount',
      async () => ((await client.call('GET', '/api/v1/namespaces/default/serviceaccounts/default', { allowNotFound: true })) ? true : undefined),
      { onTimeout: failedStart(processes.find((p) => p.spec.name === 'kube-controller-manager')!) },
    );
    if (options.controllers !== false) controllers = startSandboxControllers(client);
    log(JSON.stringify({ msg: 'sandbox ready', ms: Date.now() - started, kubeconfigPath }));

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await stopAll();
      if (!options.keepWorkDir) await rm(workDir, { recursive: true, force: true });
    };
    return {
      ...credentials,
      kubeconfig,
      kubeconfigPath,
      workDir,
      logsDir,
      client,
      controllers,
      pids: () => Object.fromEntries(processes.filter((p) => !p.hasExited).map((p) => [p.spec.name, p.pid])),
      async restartApiServer() {
        await apiserver.stop();
        processes.splice(processes.indexOf(apiserver), 1);
        apiserver = await add('kube-apiserver', binaries.path('kube-apiserver'), apiserverArgs);
        // Keep start order (etcd first) so stop() still stops the apiserver before etcd.
        processes.splice(processes.indexOf(apiserver), 1);
        processes.splice(1, 0, apiserver);
        await writeFile(pidFile, processes.map((p) => p.pid).join('\n'));
        await waitForApiserver(apiserver);
      },
      async restartEtcd() {
        await etcd.stop();
        processes.splice(processes.indexOf(etcd), 1);
        etcd = await add('etcd', binaries.path('sandbox-etcd'), etcdArgs);
        // etcd stays first: stop() stops in reverse order, so it goes last.
        processes.splice(processes.indexOf(etcd), 1);
        processes.unshift(etcd);
        await writeFile(pidFile, processes.map((p) => p.pid).join('\n'));
        await waitForEtcd(etcd);
        await waitForApiserver(apiserver);
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`the kube sandbox did not start: ${message}\n(logs kept in ${logsDir})`, { cause: error });
  }
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

function startReaper(workDir: string, pidFile: string): void {
  const reaper = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'reaper.ts'), String(process.pid), pidFile], {
    cwd: workDir,
    stdio: 'ignore',
    detached: true,
  });
  reaper.unref();
}

export type { SandboxBinaries };
