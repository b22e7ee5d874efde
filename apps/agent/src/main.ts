#!/usr/bin/env node
// qhc-agent: keeps a region in step with the control plane, over outgoing HTTPS only.
// Settings come from the installation (env) and can be overridden by flags:
//   QHC_CONTROL_PLANE_URL / --control-plane-url   https://…
//   QHC_BOOTSTRAP_TOKEN   / --bootstrap-token     exchanged once for the agent's credential
//   QHC_REGION            / --region
//   QHC_NAMESPACE         / --namespace           default: the pod's namespace
//   QHC_CA_FILE           / --ca-file             PEM trusted besides the system roots
//                                                 (the installation sets NODE_EXTRA_CA_CERTS instead)
//   QHC_LOG_LEVEL         / --log-level
//   --kubeconfig <file>                           outside a cluster
//   --health-port <n>                             /healthz and /metrics on 127.0.0.1 (default 8286)
//   --status-interval <s>                         how often status is looked at (default 10)
//   --poll-seconds <s>                            longest long-poll (default 25)
//   --max-backoff <s>                             longest wait between reconnection attempts (default 30)
//   --apply-concurrency <n>                       independent clusters applied at once (default 8)
//   HTTPS_PROXY, HTTP_PROXY, NO_PROXY             honoured for the control plane
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createKubeClient, createLogger, currentNamespace, loadKubeConfig, type LogLevel } from '@qhc/kube';
import { startAgent } from './agent.ts';
import { FIELD_MANAGER } from './apply.ts';

const { values } = parseArgs({
  options: {
    'control-plane-url': { type: 'string' },
    'bootstrap-token': { type: 'string' },
    region: { type: 'string' },
    namespace: { type: 'string' },
    'ca-file': { type: 'string' },
    'log-level': { type: 'string' },
    kubeconfig: { type: 'string' },
    'health-port': { type: 'string' },
    'status-interval': { type: 'string' },
    'poll-seconds': { type: 'string' },
    'max-backoff': { type: 'string' },
    'apply-concurrency': { type: 'string' },
  },
});
try {
  const logger = createLogger({ level: (values['log-level'] ?? process.env.QHC_LOG_LEVEL ?? 'info').toLowerCase() as LogLevel, component: 'qhc-agent' });
  const url = values['control-plane-url'] ?? process.env.QHC_CONTROL_PLANE_URL;
  const region = values.region ?? process.env.QHC_REGION;
  if (!url) throw new Error('the control plane URL is missing: --control-plane-url or QHC_CONTROL_PLANE_URL');
  if (!region) throw new Error('the region is missing: --region or QHC_REGION');
  const kubeconfigPath = values.kubeconfig;
  const kc = loadKubeConfig({ inCluster: !kubeconfigPath && Boolean(process.env.KUBERNETES_SERVICE_HOST), kubeconfigPath });
  const namespace = values.namespace ?? process.env.QHC_NAMESPACE ?? currentNamespace(kc);
  const caFile = values['ca-file'] ?? process.env.QHC_CA_FILE;
  const applyConcurrency = values['apply-concurrency'] === undefined ? undefined : Number(values['apply-concurrency']);
  if (applyConcurrency !== undefined && !(Number.isInteger(applyConcurrency) && applyConcurrency >= 1))
    throw new Error(`--apply-concurrency must be a whole number of at least 1, not ${values['apply-concurrency']}`);
  const agent = await startAgent({
    client: createKubeClient(kc, { fieldManager: FIELD_MANAGER }),
    namespace,
    region,
    controlPlane: { url, ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}) },
    bootstrapToken: values['bootstrap-token'] ?? process.env.QHC_BOOTSTRAP_TOKEN,
    logger,
    healthPort: values['health-port'] ? Number(values['health-port']) : 8286,
    ...(values['status-interval'] ? { statusIntervalMs: Number(values['status-interval']) * 1000 } : {}),
    ...(values['poll-seconds'] ? { pollSeconds: Number(values['poll-seconds']) } : {}),
    ...(values['max-backoff'] ? { backoff: { maxMs: Number(values['max-backoff']) * 1000 } } : {}),
    ...(applyConcurrency === undefined ? {} : { applyConcurrency }),
  });
  const shutdown = () => void agent.stop().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  console.error(`qhc-agent: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
