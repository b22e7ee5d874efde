// The qhc CLI end to end, as the built binary in a subprocess (stdout piped, never a
// terminal): against the control plane's Cloud API (login with the account id and the
// management key its first start printed, region, the installation script run against the
// sandbox, clusters created, scaled, paused, exposed and deleted through the agent), and in
// direct mode with only a kubeconfig.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJson } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterV1 } from '@qhc/cloud-api';
import { createLoopbackTls, waitFor, type LoopbackTls } from '@qhc/kube-sandbox';
import { useSandboxNamespace } from '@qhc/kube-sandbox/vitest';
import { createKubeClient, createLogger, loadKubeConfig, type KubeClient, type KubeObject } from '@qhc/kube';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { startOperator, type RunningOperator } from '@qhc/operator';
import { startAgent, type RunningAgent } from '@qhc/agent';
import { DEFAULT_CHART_REPOSITORY_URL, QDRANT_API_VERSION, clusterResourceName } from '@qhc/schemas';
import { qdrantClusterRef } from '@qhc/schemas/test';
import { cloudClients } from './support/cloud-region.ts';

const QHC = fileURLToPath(new URL('../../../apps/cli/dist/qhc.js', import.meta.url));
const sandbox = useSandboxNamespace('e2e-cli');
let tls: LoopbackTls;
let cp: RunningControlPlane;
let operator: RunningOperator | undefined;
let agent: RunningAgent | undefined;
let client: KubeClient;
let env: Record<string, string | undefined>;
/** The management key the control plane's first start generated (and printed). */
let managementKey: string;

function qhc(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QHC, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
const ok = async (...args: string[]) => {
  const run = await qhc(...args);
  expect(run.code, `qhc ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run;
};
/** The built binary in a real pseudo-terminal (util-linux `script`), answering a prompt when one shows. */
const inPty = (args: string[], input?: string) =>
  new Promise<string>((resolve) => {
    const command = [process.execPath, QHC, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, ...env, NO_COLOR: undefined, TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (input && out.includes('Delete cluster')) {
        child.stdin.write(input);
        input = undefined;
      }
    });
    child.once('exit', () => resolve(out));
  });
type SandboxCluster = KubeObject & { spec: { size: number } & Record<string, unknown>; status?: { phase?: string } };
/** The QdrantCluster of a cluster by its object id: the Cloud API cluster's id, or a direct-mode cluster's name. */
const kubeCluster = (id: string) => client.get<SandboxCluster>(qdrantClusterRef(id, sandbox.namespace));
type ClusterJson = { id: string; name: string; configuration?: unknown; state?: { phase?: string; nodesUp?: number } };
/** The configuration as its client sent it: the server's last_modified_at left out. */
const sentConfiguration = (c: ClusterJson) => ({ ...(c.configuration as object), lastModifiedAt: undefined });
/** The cluster as `qhc -o json cluster get` prints it: the Cloud API's Cluster as proto JSON. */
const cloudCluster = async (name: string) => JSON.parse((await ok('-o', 'json', 'cluster', 'get', name, '--region', 'cli')).stdout) as ClusterJson;
/** The QdrantCluster the agent applied for the control plane's cluster `name` (named after its id). */
const regionCluster = async (name: string) => kubeCluster((await cloudCluster(name)).id);
const waitHealthy = (name: string, timeoutMs = 60_000) =>
  waitFor(
    `${name} Healthy through qhc`,
    async () => {
      const got = await cloudCluster(name);
      return got.state?.phase === 'CLUSTER_PHASE_HEALTHY' ? got : undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );

beforeAll(async () => {
  tls = await createLoopbackTls(mkdtempSync(join(tmpdir(), 'qhc-tls-')), 'qhc-control-plane');
  // No management key given: the first start generates one, as for a new installation.
  cp = await startControlPlane({
    database: join(mkdtempSync(join(tmpdir(), 'qhc-cp-')), 'cp.db'),
    port: 0,
    tls: { cert: tls.cert, key: tls.key },
    console: false,
    logger: createLogger({ level: 'warn' }),
    pollIntervalMs: 100,
  });
  managementKey = cp.generatedManagementKey!;
  client = createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-e2e' });
  env = {
    XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'qhc-xdg-')),
    QHC_URL: undefined,
    QHC_ACCOUNT_ID: undefined,
    QHC_MANAGEMENT_KEY: undefined,
    QHC_CA_FILE: undefined,
    QHC_CONTEXT: undefined,
    NO_COLOR: '1',
  };
});
afterAll(async () => {
  await agent?.stop();
  await operator?.stop();
  await cp?.stop();
});

/** The region's id: its environment's, which the installation names the agent's region after. */
let regionId = '';

describe('qhc against the control plane', () => {
  it('login → region create → install-command run against the sandbox → the agent connects', async () => {
    const login = ['login', cp.url, '--account-id', cp.accountId];
    const refused = await qhc(...login, '--management-key', managementKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('hint: its certificate is not trusted: add the CA');
    const wrong = await qhc(...login, '--management-key', 'qhc_m_wrong-key-0123456789', '--ca-file', tls.caPath);
    expect(wrong.stderr).toContain('hint: the key is wrong, revoked or expired: run `qhc login` again');
    const loggedIn = await ok(...login, '--management-key', managementKey, '--ca-file', tls.caPath, '--name', 'local');
    // The key is never printed, nor stored anywhere but the context file.
    expect(loggedIn.stdout + loggedIn.stderr).not.toContain(managementKey);

    const created = JSON.parse(
      (await ok('-o', 'json', 'region', 'create', 'cli', '--namespace', sandbox.namespace, '--agent-version', '0.1.0', '--operator-version', '0.1.0')).stdout,
    ) as { id: string; name: string; configuration: { namespace: string } };
    expect([created.name, created.configuration.namespace]).toEqual(['cli', sandbox.namespace]);
    regionId = created.id;
    const table = await ok('region', 'list');
    expect(table.stdout).toMatch(/^NAME +NAMESPACE +PHASE +AGE\ncli +e2e-cli-\S+ +\S+ +\d+s\n$/);
    const typo = await qhc('region', 'get', 'clii');
    expect([typo.code, typo.stderr]).toEqual([3, 'error: region "clii" does not exist\nhint: did you mean "cli"? (see `qhc region list`)\n']);

    const script = join(mkdtempSync(join(tmpdir(), 'qhc-install-')), 'install.sh');
    await ok('region', 'install-command', 'cli', '--output-file', script);
    // The region was created without the CA of this control plane's private certificate, so the
    // preflight stops the install before anything is applied, as it should; the agent below is
    // given the CA directly (--ca-file), so this test then skips the check.
    // Asynchronously: the control plane runs in this process and must be free to answer the handshake.
    const checked = await new Promise<{ status: number; stdout: string }>((resolve) =>
      execFile('bash', [script], { env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath }, timeout: 240_000 }, (error, stdout) =>
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    expect(checked.status).toBe(1);
    expect(checked.stdout, checked.stdout).toMatch(/^FAIL control-plane: https:\/\/127\.0\.0\.1:\d+\/healthz did not answer: curl: \(60\) /m);
    const run = spawnSync('bash', [script, '--skip-preflight'], {
      env: { ...process.env, KUBECONFIG: sandbox.kubeconfigPath },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);

    const settingsDir = mkdtempSync(join(tmpdir(), 'qhc-op-'));
    spawnSync('sh', ['-c', `printf 'settings:\\n  app_environment: local\\n' > ${join(settingsDir, 's.yaml')}`]);
    operator = await startOperator({
      settingsPath: join(settingsDir, 's.yaml'),
      kubeconfigPath: sandbox.kubeconfigPath,
      namespace: sandbox.namespace,
      leaseNamespace: sandbox.namespace,
      leaderElection: false,
      port: 0,
      logger: createLogger({ level: 'warn' }),
    });
    agent = await startAgent({
      client: createKubeClient(loadKubeConfig({ kubeconfigPath: sandbox.kubeconfigPath }), { fieldManager: 'qhc-agent' }),
      namespace: sandbox.namespace,
      region: regionId,
      controlPlane: { url: cp.url, ca: tls.ca },
      logger: createLogger({ level: 'warn' }),
      statusIntervalMs: 500,
    });
    await waitFor('the agent connected', async () => (agent!.connected() ? true : undefined));

    // The Helm way, for GitOps users: the chart from the region's chart repository, values on stdin.
    const helmScript = join(dirname(script), 'helm-install.sh');
    await ok('region', 'install-command', 'cli', '--helm', '--output-file', helmScript);
    const helmText = readFileSync(helmScript, 'utf8');
    expect(helmText).toContain(`helm upgrade --install qhc ${DEFAULT_CHART_REPOSITORY_URL}/qhc --version 0.1.0`);
    expect(helmText).toContain(`--namespace ${sandbox.namespace} --create-namespace`);
    expect((await ok('region', 'install-command', 'cli', '--helm')).stdout).toMatch(
      /^curl -fsSL https:\/\/127\.0\.0\.1:\d+\/install\/qhc_b_\S+\/helm \| bash\n$/,
    );
  });

  it('cluster create → Healthy; -o json is the API object; scale; the configuration flags; an immutable field refused', async () => {
    await ok('cluster', 'create', 'hello', '--region', 'cli', '--size', '1', '--cpu', '1', '--memory', '1Gi', '--storage', '1Gi');
    const healthy = await waitHealthy('hello');
    // -o json is the Cloud API's Cluster, unchanged.
    const api = cloudClients(cp.url, tls.ca);
    const answered = await api.clusters.getCluster(
      { accountId: cp.accountId, clusterId: healthy.id },
      { headers: { authorization: `apikey ${managementKey}` } },
    );
    expect(healthy).toEqual(toJson(clusterV1.ClusterSchema, answered.cluster!));
    // A new cluster's Kubernetes objects are named after its id.
    expect((await regionCluster('hello'))?.metadata.name).toBe(clusterResourceName(healthy.id));
    expect((await ok('cluster', 'list', '--region', 'cli')).stdout).toMatch(/^NAME +PHASE +NODES +VERSION +AGE\nhello +Healthy +1\/1 +v\d+\.\d+\.\d+ +\d+s\n$/);

    await ok('cluster', 'scale', 'hello', '--replicas', '2', '--region', 'cli');
    await waitFor('2 nodes in the sandbox', async () => ((await kubeCluster(healthy.id))?.spec.size === 2 ? true : undefined), { timeoutMs: 30_000 });

    // The configuration flags: the QdrantCluster follows; what Kubernetes cannot change is refused, named.
    const flags = [
      '--log-level',
      'DEBUG',
      '--no-rebalance',
      '--toleration',
      'dedicated=qdrant:NoSchedule',
      '--service-annotation',
      'lb.example.com/internal=true',
    ];
    await ok('cluster', 'update', 'hello', '--region', 'cli', ...flags);
    await waitFor(
      'the configuration in the sandbox',
      async () => {
        const spec = (await kubeCluster(healthy.id))?.spec as
          | { config?: { log_level?: string }; rebalanceStrategy?: string; tolerations?: unknown[]; service?: { annotations?: Record<string, string> } }
          | undefined;
        return spec?.config?.log_level === 'DEBUG' &&
          spec.rebalanceStrategy === 'disabled' &&
          spec.tolerations?.length === 1 &&
          spec.service?.annotations?.['lb.example.com/internal'] === 'true'
          ? true
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const immutable = await qhc('cluster', 'update', 'hello', '--region', 'cli', '--storage-class', 'other');
    expect(immutable.code).toBe(2);
    expect(immutable.stderr).toMatch(/cluster\.configuration\.cluster_storage_configuration\.database_storage_class: .*\(INVALID_ARGUMENT\)/);
  });

  it('pause, unpause and expose with an ingress through qhc.v1; the Cluster as sent; delete needs --yes without a terminal', async () => {
    const { id } = await cloudCluster('hello');
    const sent = await cloudCluster('hello');
    await ok('cluster', 'pause', 'hello', '--region', 'cli', '--reason', 'disk check');
    await waitFor('ManualMaintenance', async () => ((await kubeCluster(id))?.status?.phase === 'ManualMaintenance' ? true : undefined), { timeoutMs: 30_000 });
    expect((await kubeCluster(id))?.spec.pauses).toEqual([{ owner: 'qhc-cli', reason: 'disk check', creationTimestamp: expect.any(String) }]);
    await ok('cluster', 'unpause', 'hello', '--region', 'cli');
    await waitFor('unpaused', async () => ((await kubeCluster(id))?.spec.pauses === undefined ? true : undefined), { timeoutMs: 30_000 });
    await ok('cluster', 'expose', 'hello', '--region', 'cli', '--ingress-host', 'hello.example.com', '--ingress-annotation', 'team=search');
    await waitFor(
      'the ingress in the sandbox',
      async () => ((await kubeCluster(id))?.spec.ingress as { host?: string } | undefined)?.host === 'hello.example.com' || undefined,
      { timeoutMs: 30_000 },
    );
    expect((await kubeCluster(id))?.spec.ingress).toEqual({ enabled: true, host: 'hello.example.com', annotations: { team: 'search' } });
    // The Cluster message is as the client last sent it: neither change is in it (last_modified_at is the server's time of the last change).
    expect(sentConfiguration(await cloudCluster('hello'))).toEqual(sentConfiguration(sent));

    const refused = await qhc('cluster', 'delete', 'hello', '--region', 'cli');
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'error: Delete cluster hello in region cli? — refusing without a terminal to ask on\nhint: add --yes to confirm, or --dry-run to see what would happen\n',
    ]);
    expect((await qhc('cluster', 'delete', 'hello', '--region', 'cli', '--dry-run')).stderr).toBe('cluster hello would be deleted (dry run)\n');
    expect(await kubeCluster(id)).toBeDefined();
    await ok('cluster', 'delete', 'hello', '--region', 'cli', '--yes');
    await waitFor('hello deleted in the sandbox', async () => ((await kubeCluster(id)) ? undefined : true), { timeoutMs: 30_000 });
    const gone = await qhc('cluster', 'get', 'helo', '--region', 'cli');
    expect(gone.code).toBe(3);
  });
});

describe('region health through the control plane', () => {
  it('region get -o wide shows the health the agent reports; a cluster on a class of its own', async () => {
    const wide = await waitFor(
      "the agent's health report",
      async () => {
        const run = await ok('region', 'get', 'cli', '-o', 'wide');
        return run.stdout.includes('v1.37.2') ? run.stdout : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(wide).toMatch(/^NAME +ID +NAMESPACE +PHASE +KUBERNETES +NODES +MESSAGE +AGE\n/);
    expect(wide).toMatch(new RegExp(`\\ncli +${regionId} +${sandbox.namespace} +\\S+ +v1\\.37\\.2\\S* +\\d+ `));

    // -f is a ClusterConfiguration in the API's shape.
    const spec = join(mkdtempSync(join(tmpdir(), 'qhc-spec-')), 'fixed.yaml');
    writeFileSync(spec, 'clusterStorageConfiguration:\n  databaseStorageClass: qhc-fixed\n');
    await ok('cluster', 'create', 'fixed', '--region', 'cli', '-f', spec, '--storage', '1Gi');
    const fixed = await waitFor('fixed in the sandbox', () => regionCluster('fixed'), { timeoutMs: 30_000 });
    expect(fixed.spec.storageClassNames).toEqual({ db: 'qhc-fixed' });
    await ok('cluster', 'delete', 'fixed', '--region', 'cli', '--yes');
  });
});

type SnapshotObject = KubeObject & { status?: { phase?: string; volumeSnapshots?: unknown[] } };
const snapshots = async () =>
  (await client.list<SnapshotObject>({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterSnapshot' }, { namespace: sandbox.namespace })).items;
type BackupJson = { id: string; displayName: string; status: string; retentionPeriod?: string };

describe('backups and restores through the control plane', () => {
  it('cluster create --wait → backup create --wait → restore into a new cluster; deletes', async () => {
    const region = ['--region', 'cli'];
    await ok('cluster', 'create', 'bk', ...region, '--size', '1', '--cpu', '1', '--memory', '1Gi', '--storage', '1Gi', '--wait', '--timeout', '90s');
    const backup = JSON.parse(
      (await ok('-o', 'json', 'backup', 'create', 'bk', ...region, '--name', 'bk-first', '--retention', '72h', '--wait', '--timeout', '90s')).stdout,
    ) as BackupJson;
    expect([backup.displayName, backup.status, backup.retentionPeriod]).toEqual(['bk-first', 'BACKUP_STATUS_SUCCEEDED', '259200s']);
    const [snapshot, ...others] = await snapshots();
    expect([others.length, snapshot?.status?.phase, snapshot?.status?.volumeSnapshots?.length]).toEqual([0, 'Succeeded', 1]);
    expect((await ok('backup', 'list', ...region, '--cluster', 'bk')).stdout).toMatch(
      /^NAME +CLUSTER +STATUS +RETENTION +AGE\nbk-first +bk +SUCCEEDED +72h +\d+s\n$/,
    );

    await ok('restore', 'create', 'bk-first', ...region, '--to', 'bkcopy', '--new');
    const copy = await waitHealthy('bkcopy', 120_000);
    const claim = await client.get<KubeObject & { spec: { dataSource?: { name: string } } }>({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      namespace: sandbox.namespace,
      name: `qdrant-storage-${clusterResourceName(copy.id)}-0`,
    });
    expect(claim?.spec.dataSource?.name).toBe(`${snapshot!.metadata.name}-0`);
    await waitFor(
      'the restore SUCCEEDED',
      async () => ((await ok('restore', 'list', ...region)).stdout.match(new RegExp(`\\S+ +${backup.id} +bkcopy +SUCCEEDED +\\d+s`)) ? true : undefined),
      { timeoutMs: 30_000 },
    );
    // The restored cluster is the control plane's: adopted (the agent applies it from then on), listed, and deleted like any other.
    await waitFor(
      'bkcopy adopted by the agent',
      async () => ((await kubeCluster(copy.id))?.metadata.labels?.['app.kubernetes.io/managed-by'] === 'qhc-agent' ? true : undefined),
      { timeoutMs: 30_000 },
    );
    expect((await ok('cluster', 'list', ...region)).stdout).toMatch(/\nbkcopy +Healthy +1\/1 /);
    await ok('cluster', 'delete', 'bkcopy', ...region, '--yes');
    await waitFor('bkcopy deleted in the sandbox', async () => ((await kubeCluster(copy.id)) ? undefined : true), { timeoutMs: 30_000 });
  }, 300_000);

  it('backup schedules: create, Active, a bad cron refused; the backup and the cluster deleted', async () => {
    const region = ['--region', 'cli'];
    const schedule = JSON.parse(
      (await ok('-o', 'json', 'backup', 'schedule', 'create', 'bk', ...region, '--schedule', '0 2 * * *', '--retention', '168h')).stdout,
    ) as { id: string };
    await waitFor(
      'the schedule Active in the region',
      async () =>
        (await ok('backup', 'schedule', 'list', ...region)).stdout.match(new RegExp(`${schedule.id} +bk +0 2 \\* \\* \\* +168h +ACTIVE`)) ? true : undefined,
      { timeoutMs: 30_000 },
    );
    const badCron = await qhc('backup', 'schedule', 'create', 'bk', ...region, '--schedule', '61 * * * *', '--retention', '1h');
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toMatch(/schedule.*61.*\(INVALID_ARGUMENT\)/);
    await ok('backup', 'schedule', 'delete', schedule.id, ...region, '--yes');
    const [snapshot] = await snapshots();
    await ok('backup', 'delete', 'bk-first', ...region, '--yes');
    await waitFor(
      'the backup gone from the region',
      async () =>
        (await client.get({ apiVersion: QDRANT_API_VERSION, kind: 'QdrantClusterSnapshot', namespace: sandbox.namespace, name: snapshot!.metadata.name! }))
          ? undefined
          : true,
      { timeoutMs: 30_000 },
    );
    await ok('cluster', 'delete', 'bk', ...region, '--yes');
  }, 120_000);
});

describe('status and completion', () => {
  it('qhc status shows each region as its agent reports it', async () => {
    const run = await ok('status');
    expect(run.stdout).toMatch(/^REGION +PHASE +OPERATOR +AGENT +APPLIED +LAST SEEN\ncli +READY +READY 0\.1\.0 +READY 0\.1\.0 +\d+\/\d+ +\d+s ago\n$/);
  });

  it('the bash completion script loads without errors and completes cluster names', async () => {
    await ok('cluster', 'create', 'completeme', '--region', 'cli', '--size', '1', '--cpu', '1', '--memory', '1Gi', '--storage', '1Gi');
    const script = (await ok('completion', 'bash')).stdout;
    const dir = mkdtempSync(join(tmpdir(), 'qhc-completion-'));
    writeFileSync(join(dir, 'qhc.bash'), script);
    writeFileSync(join(dir, 'qhc'), `#!/bin/sh\nexec ${process.execPath} ${QHC} "$@"\n`, { mode: 0o755 });
    // Asynchronous: the control plane answering the completion runs in this process.
    const bash = (line: string) =>
      new Promise<{ stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          'bash',
          [
            '-c',
            `set -e; source ${join(dir, 'qhc.bash')}; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _qhc; printf '%s\\n' "\${COMPREPLY[@]}"`,
          ],
          { env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}` } },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.once('exit', () => resolve({ stdout, stderr }));
      });
    const loaded = await bash("qhc ''");
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout.split('\n')).toEqual(expect.arrayContaining(['cluster', 'region', 'validate', 'completion']));
    expect((await bash('qhc cluster sc')).stdout.trim()).toBe('scale');
    expect((await bash('qhc cluster get --region cli comp')).stdout.trim()).toBe('completeme');
    expect(spawnSync('bash', ['-n', join(dir, 'qhc.bash')]).status).toBe(0);
    for (const shell of ['zsh', 'fish']) expect((await ok('completion', shell)).stdout.length).toBeGreaterThan(100);
  });
});

describe('qhc in direct mode, with only a kubeconfig', () => {
  it('backs up and lists directly', async () => {
    const direct = ['--kubeconfig', sandbox.kubeconfigPath, '-n', sandbox.namespace];
    await ok('cluster', 'create', 'dbk', ...direct, '--size', '1', '--cpu', '1', '--memory', '1Gi', '--storage', '1Gi', '--wait', '--timeout', '90s');
    const made = await ok('backup', 'create', 'dbk', ...direct, '--name', 'dbk-1', '--wait', '--timeout', '90s');
    expect(made.stdout).toMatch(/^NAME +CLUSTER +PHASE +VOLUMES +RETAIN UNTIL +AGE\ndbk-1 +dbk +Succeeded +1 +<forever> +\d+s\n$/);
    expect((await ok('-o', 'name', 'backup', 'list', ...direct)).stdout).toContain('backup/dbk-1\n');
    await ok('backup', 'delete', 'dbk-1', ...direct, '--yes');
    await ok('cluster', 'delete', 'dbk', ...direct, '--yes');
  }, 120_000);

  it('creates, lists, scales and deletes a QdrantCluster where the operator runs', async () => {
    const direct = ['--kubeconfig', sandbox.kubeconfigPath, '-n', sandbox.namespace];
    await ok('cluster', 'create', 'direct1', ...direct, '--size', '1', '--cpu', '1', '--memory', '1Gi', '--storage', '1Gi');
    await waitFor('direct1 Healthy', async () => ((await kubeCluster('direct1'))?.status?.phase === 'Healthy' ? true : undefined), { timeoutMs: 60_000 });
    expect((await ok('cluster', 'list', ...direct)).stdout).toMatch(/direct1 +Healthy +1\/1 +v1\.16\.2/);
    const json = JSON.parse((await ok('-o', 'json', 'cluster', 'get', 'direct1', ...direct)).stdout) as KubeObject;
    expect(json.metadata.uid).toBe((await kubeCluster('direct1'))?.metadata.uid);
    await ok('cluster', 'scale', 'direct1', '--replicas', '2', ...direct);
    expect((await kubeCluster('direct1'))?.spec.size).toBe(2);
    const typo = await qhc('cluster', 'get', 'direct2', ...direct);
    expect([typo.code, typo.stderr]).toEqual([
      3,
      `error: cluster "direct2" does not exist in namespace ${sandbox.namespace}\nhint: did you mean "direct1"? (see \`qhc cluster list -n ${sandbox.namespace}\`)\n`,
    ]);
    await ok('cluster', 'delete', 'direct1', ...direct, '--yes');
    await waitFor('direct1 deleted', async () => ((await kubeCluster('direct1')) ? undefined : true), { timeoutMs: 30_000 });
  });

  it('the day-2 verbs: create --wait, set-resources, upgrade, pause/unpause, suspend/resume, expose, restart --wait, describe', async () => {
    const direct = ['--kubeconfig', sandbox.kubeconfigPath, '-n', sandbox.namespace];
    const created = await ok(
      'cluster',
      'create',
      'day2',
      ...direct,
      '--size',
      '2',
      '--cpu',
      '1',
      '--memory',
      '1Gi',
      '--storage',
      '1Gi',
      '--wait',
      '--timeout',
      '90s',
    );
    // Piped: no escape codes, one final progress line on stderr.
    expect(created.stderr).toMatch(/^cluster day2: Healthy, 2\/2 nodes ready, \d+s\n$/);
    expect(created.stderr).not.toContain('\u001b');
    await ok('cluster', 'set-resources', 'day2', ...direct, '--cpu', '2', '--wait', '--timeout', '90s');
    await ok('cluster', 'upgrade', 'day2', ...direct, '--version', 'v1.16.3', '--wait', '--timeout', '90s');
    const spec = (await kubeCluster('day2')) as unknown as { spec: { resources: { cpu: string }; version: string } };
    expect([spec.spec.resources.cpu, spec.spec.version]).toEqual(['2', 'v1.16.3']);

    await ok('cluster', 'pause', 'day2', ...direct, '--reason', 'disk check');
    await waitFor('ManualMaintenance', async () => ((await kubeCluster('day2'))?.status?.phase === 'ManualMaintenance' ? true : undefined));
    expect((await ok('cluster', 'describe', 'day2', ...direct)).stdout).toContain('Paused by:    qhc-cli: disk check');
    await ok('cluster', 'unpause', 'day2', ...direct);
    await ok('cluster', 'suspend', 'day2', ...direct);
    await waitFor('Suspended', async () => ((await kubeCluster('day2'))?.status?.phase === 'Suspended' ? true : undefined), { timeoutMs: 30_000 });
    await ok('cluster', 'resume', 'day2', ...direct, '--wait', '--timeout', '90s');
    await ok('cluster', 'expose', 'day2', ...direct, '--type', 'NodePort');
    const service = await client.get<KubeObject & { spec: { type: string } }>({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: sandbox.namespace,
      name: 'qdrant-day2',
    });
    await waitFor('NodePort', async () =>
      (await client.get<KubeObject & { spec: { type: string } }>({ apiVersion: 'v1', kind: 'Service', namespace: sandbox.namespace, name: 'qdrant-day2' }))
        ?.spec.type === 'NodePort'
        ? true
        : undefined,
    );
    expect(service).toBeDefined();
    const pods = async () =>
      new Set(
        (await client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: sandbox.namespace, labelSelector: 'cluster-id=day2' })).items.map(
          (p) => p.metadata.uid,
        ),
      );
    const before = await pods();
    await ok('cluster', 'restart', 'day2', ...direct, '--wait', '--timeout', '90s');
    const after = await pods();
    expect([...after].some((uid) => before.has(uid))).toBe(false);

    const described = (await ok('cluster', 'describe', 'day2', ...direct)).stdout;
    expect(described).toMatch(/^Name: +day2\n/);
    expect(described).toMatch(/Phase: +Healthy/);
    expect(described).toMatch(/Nodes: +2\/2 ready/);
    expect(described).toContain('Conditions:');
    expect(described).toMatch(/qdrant-day2-0 +ready=True {2}version=v1\.16\.3/);
    expect(described).toMatch(/Events:\n(.|\n)*Healthy/);
    const timeout = await qhc('cluster', 'scale', 'day2', ...direct, '--replicas', '3', '--wait', '--timeout', '1ms');
    expect(timeout.code).toBe(4);
    expect(timeout.stderr).toContain('error: timed out after 0s waiting for cluster day2');
  }, 300_000);

  it('on a terminal: a live progress line and the confirmation prompt (a real pseudo-terminal)', async () => {
    const direct = ['--kubeconfig', sandbox.kubeconfigPath, '-n', sandbox.namespace];
    const scaled = await inPty(['cluster', 'scale', 'day2', ...direct, '--replicas', '3', '--wait', '--timeout', '90s']);
    // The progress line is redrawn in place (carriage return, clear line) and bold on a colour terminal.
    expect(scaled).toContain('\r\u001b[2Kcluster day2: \u001b[1m');
    expect(scaled).toMatch(/3\/3 nodes ready/);
    const declined = await inPty(['cluster', 'delete', 'day2', ...direct], 'n\r');
    expect(declined).toContain('Delete cluster day2 in namespace');
    expect(declined).toContain('cancelled');
    expect(await kubeCluster('day2')).toBeDefined();
    const confirmed = await inPty(['cluster', 'delete', 'day2', ...direct], 'y\r');
    expect(confirmed).toContain('cluster day2 deleted');
  }, 180_000);

  it('a broken kubeconfig is named, with the fix', async () => {
    const run = await qhc('cluster', 'list', '--kubeconfig', '/nonexistent/kubeconfig');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*nonexistent\/kubeconfig.*\nhint: check --kubeconfig/);
  });
});
