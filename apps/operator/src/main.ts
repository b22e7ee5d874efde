#!/usr/bin/env node
// qhc-operator: reconciles QdrantCluster resources. Flags:
//   --settings <file>      operator settings YAML (required)
//   --kubeconfig <file>    for app_environment: local
//   --context <name>
//   --namespace <ns>       watch one namespace (default: $POD_NAMESPACE when run without --kubeconfig,
//                          i.e. the installation's pod, whose Role covers its own namespace only; else all)
//   --lease-namespace <ns> where the leader Lease lives (default: $POD_NAMESPACE or default)
//   --port <n>             /healthz, /readyz, /metrics (default 8285)
//   --no-leader-elect      run without leader election (a single replica)
//   --qdrant-url <tmpl>    out of the cluster: each Qdrant node's REST URL, with {namespace} {name}
//                          {id} {node} (default: $QHC_QDRANT_URL_TEMPLATE, else the node's DNS name)
//   --settings-configmap <name>  the ConfigMap mounted as --settings, in the lease namespace: events
//                          about the file go on it (default qhc-operator-settings)
//   --cluster-manager-url <url>  the cluster manager, for clusters with spec.clusterManager
//                          (default: $QHC_CLUSTER_MANAGER_URL; without one they drain in-process)
//   --workers <n>          clusters reconciled at the same time; one cluster never twice at once (default 32)
//   --kube-api-qps <n>     client-side limit of requests a second to the apiserver (default 200)
//   --kube-api-burst <n>   requests above the limit allowed in a burst (default 400)
import type { Server } from 'node:http';
import { createServer } from './http-server.ts';
import { DEFAULT_WORKERS } from './controller.ts';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    settings: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    namespace: { type: 'string' },
    'lease-namespace': { type: 'string' },
    port: { type: 'string' },
    'leader-elect': { type: 'boolean', default: true },
    'qdrant-url': { type: 'string' },
    'cluster-manager-url': { type: 'string' },
    'settings-configmap': { type: 'string' },
    workers: { type: 'string', default: String(DEFAULT_WORKERS) },
    'kube-api-qps': { type: 'string', default: '200' },
    'kube-api-burst': { type: 'string', default: '400' },
  },
  allowNegative: true,
});
if (!values.settings) {
  console.error('qhc-operator: --settings <file> is required');
  process.exit(2);
}
const positive = (flag: 'workers' | 'kube-api-qps' | 'kube-api-burst'): number => {
  const value = Number(values[flag]);
  if (Number.isFinite(value) && value > 0 && (flag === 'kube-api-qps' || Number.isInteger(value))) return value;
  console.error(`qhc-operator: --${flag} must be a positive ${flag === 'kube-api-qps' ? 'number' : 'integer'}, not ${values[flag]}`);
  return process.exit(2);
};
const workers = positive('workers');
const kubeApiRateLimit = { qps: positive('kube-api-qps'), burst: positive('kube-api-burst') };
try {
  // Listening before the operator's modules load keeps the time the kubelet could find nothing
  // on the port short (the probes' initialDelaySeconds covers it); the process is up, so ready.
  const server = await listenEarly(values.port ? Number(values.port) : 8285);
  const { startOperator } = await import('./operator.ts');
  const operator = await startOperator({
    server,
    settingsPath: values.settings,
    kubeconfigPath: values.kubeconfig,
    context: values.context,
    // In the installation's pod the Role is namespaced: watching every namespace would be refused.
    namespace: values.namespace ?? (values.kubeconfig ? undefined : process.env.POD_NAMESPACE),
    leaseNamespace: values['lease-namespace'] ?? process.env.POD_NAMESPACE ?? 'default',
    port: values.port ? Number(values.port) : undefined,
    leaderElection: values['leader-elect'],
    qdrantUrlTemplate: values['qdrant-url'] ?? process.env.QHC_QDRANT_URL_TEMPLATE,
    clusterManagerUrl: values['cluster-manager-url'] ?? process.env.QHC_CLUSTER_MANAGER_URL,
    settingsConfigMap: values['settings-configmap'],
    workers,
    kubeApiRateLimit,
    logLevel: (process.env.QHC_LOG_LEVEL?.toLowerCase() as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info',
  });
  const shutdown = () => void operator.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(`qhc-operator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

function listenEarly(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const probe = req.url === '/healthz' || req.url === '/readyz';
    res.writeHead(probe ? 200 : 503, { 'content-type': 'text/plain' }).end(probe ? 'ok: starting' : 'starting');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, process.env.QHC_OPERATOR_BIND ?? '0.0.0.0', () => resolve(server));
  });
}
