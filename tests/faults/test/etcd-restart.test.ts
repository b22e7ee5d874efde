// etcd restarted (same data, same port) while clusters reconcile: the apiserver, still running,
// loses its storage for a few seconds and reconnects.
import { restartWhileReconciling } from './support/restart-while-reconciling.ts';

restartWhileReconciling({ component: 'etcd', prefix: 'etcd', clusters: 10, result: '2-etcd-restart', restart: (sandbox) => sandbox.restartEtcd() });
