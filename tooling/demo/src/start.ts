// pnpm start: the demo in the foreground until Ctrl-C. --until-healthy stops once the
// example cluster is Healthy (for a smoke test).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo } from './demo.ts';

const untilHealthy = process.argv.includes('--until-healthy');
try {
  const demo = await startDemo({ workDir: mkdtempSync(join(tmpdir(), 'qhc-demo-')) });
  console.log(`
Everything runs. Where to look:
  control plane   ${demo.controlPlaneUrl}
  account id      ${demo.accountId}
  management key  ${demo.managementKey}
  CA file         ${demo.caPath}
  web console     ${demo.controlPlaneUrl}/   (sign in with the management key)
  qhc             QHC_URL=${demo.controlPlaneUrl} QHC_ACCOUNT_ID=${demo.accountId} QHC_MANAGEMENT_KEY=${demo.managementKey} QHC_CA_FILE=${demo.caPath} qhc cluster list --region demo
  Terraform       provider "qdrant-cloud" { api_key = "${demo.managementKey}", account_id = "${demo.accountId}", api_url = "${new URL(demo.controlPlaneUrl).host}" }, with SSL_CERT_FILE=${demo.caPath}
  REST            curl --cacert ${demo.caPath} -H 'authorization: apikey ${demo.managementKey}' ${demo.controlPlaneUrl}/api/cluster/v1/accounts/${demo.accountId}/clusters
  OpenAPI         ${demo.controlPlaneUrl}/api/openapi.json
  kubeconfig      ${demo.kubeconfigPath}
  the cluster     KUBECONFIG=${demo.kubeconfigPath} kubectl get qdrantclusters,pods -n ${demo.namespace}
Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping ...');
    await demo.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (untilHealthy) await shutdown();
  else setInterval(() => undefined, 1 << 30);
} catch (error) {
  console.error(`qhc demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
