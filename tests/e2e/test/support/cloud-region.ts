// An environment attached through the Cloud API, as its clients do it: the control plane over
// HTTPS with a private CA, gRPC clients of its services (HTTP/2 + TLS, trusting that CA, the
// management key in `authorization`), the commands GenerateBootstrapCommands answers run with
// bash and kubectl, the operator, and the agent as its own process.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { clusterV1, hybridV1, qhcV1 } from '@qhc/cloud-api';
import { startControlPlane, type RunningControlPlane } from '@qhc/control-plane';
import { createLogger } from '@qhc/kube';
import type { LoopbackTls } from '@qhc/kube-sandbox';
import { startOperator, type RunningOperator } from '@qhc/operator';

export interface CloudClients {
  hybrid: Client<typeof hybridV1.HybridCloudService>;
  clusters: Client<typeof clusterV1.ClusterService>;
  environmentAgent: Client<typeof qhcV1.EnvironmentAgentService>;
}

/** The control plane over HTTPS on `port` (0: a free one), accepting `managementKey`. */
export function startCloudControlPlane(options: { database: string; port: number; tls: LoopbackTls; managementKey: string }): Promise<RunningControlPlane> {
  return startControlPlane({
    database: options.database,
    port: options.port,
    tls: { cert: options.tls.cert, key: options.tls.key },
    managementKey: options.managementKey,
    console: false,
    logger: createLogger({ level: 'warn', component: 'qhc-control-plane' }),
    pollIntervalMs: 100,
  });
}

/** gRPC clients of the control plane at `url`, as the Terraform provider and qcloud call it. */
export function cloudClients(url: string, ca: string): CloudClients {
  const transport = createGrpcTransport({ baseUrl: url, nodeOptions: { ca } });
  return {
    hybrid: createClient(hybridV1.HybridCloudService, transport),
    clusters: createClient(clusterV1.ClusterService, transport),
    environmentAgent: createClient(qhcV1.EnvironmentAgentService, transport),
  };
}

export interface CommandsRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Each command as a user pastes it into a shell with kubectl pointed at the cluster: bash, with
 * curl trusting the control plane's CA (CURL_CA_BUNDLE, as on a machine that trusts it).
 * Asynchronous: the script calls this process's control plane, which must be free to answer.
 */
export function runCommands(commands: readonly string[], env: { kubeconfigPath: string; caPath: string }): Promise<CommandsRun> {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-bootstrap-'));
  const file = join(dir, 'bootstrap.sh');
  writeFileSync(file, `set -euo pipefail\n${commands.join('\n')}\n`, { mode: 0o700 });
  return new Promise((resolve) =>
    execFile(
      'bash',
      [file],
      { env: { ...process.env, KUBECONFIG: env.kubeconfigPath, CURL_CA_BUNDLE: env.caPath }, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** The operator in this process, watching `namespace` of the sandbox. */
export function startSandboxOperator(sandbox: { kubeconfigPath: string; namespace: string }): Promise<RunningOperator> {
  const settingsDir = mkdtempSync(join(tmpdir(), 'qhc-op-'));
  writeFileSync(join(settingsDir, 'settings.yaml'), 'settings:\n  app_environment: local\n');
  return startOperator({
    settingsPath: join(settingsDir, 'settings.yaml'),
    kubeconfigPath: sandbox.kubeconfigPath,
    namespace: sandbox.namespace,
    leaseNamespace: sandbox.namespace,
    leaderElection: false,
    port: 0,
    logger: createLogger({ level: 'warn', component: 'qhc-operator' }),
  });
}

/** The agent's command line for the environment `region` (its spec name: the environment's id). */
export function agentArgs(options: { port: number; region: string; namespace: string; kubeconfigPath: string }, extra: string[] = []): string[] {
  return [
    '--control-plane-url',
    `https://127.0.0.1:${options.port}`,
    '--region',
    options.region,
    '--namespace',
    options.namespace,
    '--kubeconfig',
    options.kubeconfigPath,
    '--health-port',
    '0',
    '--status-interval',
    '1',
    '--poll-seconds',
    '5',
    '--max-backoff',
    '2',
    ...extra,
  ];
}

/** The environment without any proxy settings of the machine running the tests. */
export const cleanEnv = (): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|no|all)_proxy$/i.test(k)));
