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
  control plane   ${demo.controlPlaneUrl}   (admin token: ${demo.adminToken})
  web console     ${demo.controlPlaneUrl}/   (sign in with the admin token; the certificate is from ${demo.caPath})
  API             curl --cacert ${demo.caPath} -H 'authorization: Bearer ${demo.adminToken}' ${demo.controlPlaneUrl}/api/v1/regions/demo/clusters
  OpenAPI         ${demo.controlPlaneUrl}/openapi.json
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
