// kube-apiserver restarted while 50 clusters reconcile (same address, same data).
import { restartWhileReconciling } from './support/restart-while-reconciling.ts';

restartWhileReconciling({
  component: 'kube-apiserver',
  prefix: 'api',
  clusters: 50,
  result: '1-apiserver-restart',
  restart: (sandbox) => sandbox.restartApiServer(),
});
