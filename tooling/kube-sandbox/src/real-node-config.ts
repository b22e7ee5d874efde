// The files a real node runs from: containerd's config, the kubelet's KubeletConfiguration, a
// CNI list, and per-registry host files. Every path is under the node's own folder; the
// choices below are the tested recipe of ../shared/research/real-node.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The pause image build.sh makes; containerd is told to use it as the pod sandbox image. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
/** The taint only pods the test-only policy marks tolerate (see real-node-policy.ts). */
export const REAL_NODE_TAINT = 'sandbox.qhc.dev/real-node';

export interface RealNodeLayout {
  dir: string;
  socket: string;
  containerdConfig: string;
  kubeletConfig: string;
  kubeletRoot: string;
  certsDir: string;
  registryHostsDir: string;
  cniConfDir: string;
  /** The containers' logs (`<namespace>_<pod>_<uid>/<container>/<n>.log`). */
  podLogsDir: string;
}

export function realNodeLayout(dir: string): RealNodeLayout {
  return {
    dir,
    socket: join(dir, 'containerd.sock'),
    containerdConfig: join(dir, 'containerd.toml'),
    kubeletConfig: join(dir, 'kubelet.yaml'),
    kubeletRoot: join(dir, 'kubelet'),
    certsDir: join(dir, 'kubelet-pki'),
    registryHostsDir: join(dir, 'registry-hosts'),
    cniConfDir: join(dir, 'cni'),
    podLogsDir: join(dir, 'pod-logs'),
  };
}

/**
 * containerd 1.6 as a plain process with private root, state and socket. `native` snapshots
 * need no overlay support; `restrict_oom_score_adj` keeps the CRI from asking for a negative
 * oom_score_adj, which these machines refuse (every pod sandbox fails in runc without it).
 */
function containerdToml(layout: RealNodeLayout): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = "${join(layout.dir, 'containerd-root')}"`,
    `state = "${join(layout.dir, 'containerd-state')}"`,
    `[grpc]\n  address = "${layout.socket}"`,
    `[ttrpc]\n  address = "${layout.socket}.ttrpc"`,
    '[metrics]\n  address = ""',
    `[plugins."io.containerd.internal.v1.opt"]\n  path = "${join(layout.dir, 'containerd-opt')}"`,
    `[${cri}]`,
    `  sandbox_image = "${PAUSE_IMAGE}"`,
    '  restrict_oom_score_adj = true',
    '  enable_selinux = false',
    `[${cri}.containerd]\n  snapshotter = "native"\n  default_runtime_name = "runc"`,
    `[${cri}.containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"`,
    `[${cri}.cni]\n  bin_dir = "/usr/lib/cni"\n  conf_dir = "${layout.cniConfDir}"`,
    // Read at every pull: a test can allow a plain-HTTP loopback registry after start-up.
    `[${cri}.registry]\n  config_path = "${layout.registryHostsDir}"`,
    '',
  ].join('\n');
}

/**
 * The node is Ready only once a CNI list exists. qhc's pods run with hostNetwork (set by the
 * test-only policy), so no plugin ever runs for them; the subnet is a benchmarking range that
 * routes nowhere, in case a pod without hostNetwork were ever scheduled here.
 */
function cniConflist(): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'qhc-sandbox',
    plugins: [
      { type: 'bridge', bridge: 'qhcsandbox0', isGateway: true, ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet: '198.18.0.0/24' }]] } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  });
}

export interface KubeletPorts {
  port: number;
  healthz: number;
}

/**
 * These machines are cgroup v1 (tmpfs at /sys/fs/cgroup) without systemd: failCgroupV1 false,
 * cgroupfs, no QoS cgroups, nothing reserved. Everything on 127.0.0.1. syncFrequency is short
 * so ConfigMap and Secret volume updates (the `..data` swap) arrive in seconds, not a minute.
 */
function kubeletYaml(layout: RealNodeLayout, ports: KubeletPorts): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    failSwapOn: false,
    localStorageCapacityIsolation: false,
    address: '127.0.0.1',
    port: ports.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: ports.healthz,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    containerRuntimeEndpoint: `unix://${layout.socket}`,
    imageServiceEndpoint: `unix://${layout.socket}`,
    syncFrequency: '3s',
    resolvConf: '/etc/resolv.conf',
    volumePluginDir: join(layout.dir, 'volume-plugins'),
    podLogsDir: layout.podLogsDir,
    registerWithTaints: [{ key: REAL_NODE_TAINT, value: 'true', effect: 'NoSchedule' }],
    // The machine's disk is shared: evict nothing for disk use a developer's machine has.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
  });
}

/** Writes every file the node's processes read. */
export function writeRealNodeFiles(layout: RealNodeLayout, ports: KubeletPorts): void {
  for (const dir of [layout.dir, layout.podLogsDir, layout.kubeletRoot, layout.certsDir, layout.registryHostsDir, layout.cniConfDir])
    mkdirSync(dir, { recursive: true });
  writeFileSync(layout.containerdConfig, containerdToml(layout));
  writeFileSync(join(layout.cniConfDir, '10-qhc-sandbox.conflist'), cniConflist());
  writeFileSync(layout.kubeletConfig, kubeletYaml(layout, ports));
}

/**
 * Lets containerd pull from a loopback registry over plain HTTP (the test registries have no
 * TLS). `registryHostsDir` is the node's; containerd reads it at every pull.
 */
export function allowPlainHttpRegistry(registryHostsDir: string, host: string): void {
  const dir = join(registryHostsDir, host);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hosts.toml'), `server = "http://${host}"\n\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n`);
}
