import { join } from 'node:path';
import type { Pki } from './pki.ts';

/** The loopback ports of one sandbox, all free when it started. */
export interface SandboxPorts {
  etcdClient: number;
  etcdPeer: number;
  api: number;
  kcm: number;
  scheduler: number;
  kwok: number;
}

export function etcdArgs(workDir: string, ports: SandboxPorts): string[] {
  return [
    `--data-dir=${join(workDir, 'etcd')}`,
    `--listen-client-url=http://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-url=http://127.0.0.1:${ports.etcdPeer}`,
  ];
}

export function apiserverArgs(workDir: string, ports: SandboxPorts, pki: Pki): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.api}`,
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
}

/** Flags shared by kube-controller-manager and kube-scheduler. */
export function componentArgs(workDir: string, kubeconfigPath: string, port: number, name: string): string[] {
  return [
    `--kubeconfig=${kubeconfigPath}`,
    `--authentication-kubeconfig=${kubeconfigPath}`,
    `--authorization-kubeconfig=${kubeconfigPath}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(workDir, `${name}-certs`)}`,
    '--leader-elect=false',
  ];
}

export function controllerManagerArgs(workDir: string, kubeconfigPath: string, ports: SandboxPorts, pki: Pki): string[] {
  return [
    ...componentArgs(workDir, kubeconfigPath, ports.kcm, 'kcm'),
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.caCert}`,
    '--use-service-account-credentials=true',
    '--cluster-name=qhc-sandbox',
  ];
}

export function kwokArgs(kubeconfigPath: string, stagesFile: string, ports: SandboxPorts): string[] {
  return [
    `--kubeconfig=${kubeconfigPath}`,
    `--config=${stagesFile}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--manage-nodes-with-label-selector=',
    '--manage-single-node=',
    '--node-ip=10.240.0.10',
    '--cidr=10.244.0.0/16',
    '--node-lease-duration-seconds=40',
    `--server-address=127.0.0.1:${ports.kwok}`,
  ];
}
