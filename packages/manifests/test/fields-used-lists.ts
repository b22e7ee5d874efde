// The lists the walk in fields-used.test.ts reads: what is refused, what a controller reads,
// sample values and the context each leaf needs to matter.

/** Refused on purpose, with the message that says why (schemas: REFUSED_*). */
export const REFUSED: Record<string, RegExp> = {
  'spec.storage.iops': /specific to each CSI driver/,
  'spec.storage.throughput': /specific to each CSI driver/,
  'spec.readClusters': /does not synchronise read clusters/,
};

/**
 * Read by the operator's controllers or the cluster manager, not by a builder: the test that
 * proves each, which must mention the field (or the `proof` given, e.g. a default it checks).
 */
export const CONTROLLER_USED: Record<string, string | { file: string; proof: string }> = {
  'spec.pauses': 'apps/operator/test/status.test.ts',
  'spec.clusterManager': 'apps/operator/test/cluster-manager-default.test.ts',
  'spec.rebalanceStrategy': 'apps/operator/test/cluster-manager-default.test.ts',
  'spec.storage.volumeSnapshotClassName': 'apps/operator/test/backup.test.ts',
  'settings.app_environment': 'apps/operator/test/lifecycle.test.ts',
  'settings.backupHistoryRetentionDays': 'apps/operator/test/backup.test.ts',
  'settings.operationTimeout': 'apps/operator/test/rollout-failure.test.ts',
  'settings.handlerTimeout': 'apps/operator/test/scaling.test.ts',
  'settings.backupTimeout': 'apps/operator/test/backup.test.ts',
  'settings.backOff.minDelay': 'apps/operator/test/crash-loop.test.ts',
  'settings.backOff.maxDelay': 'apps/operator/test/crash-loop.test.ts',
  'settings.backOff.increment': 'apps/operator/test/crash-loop.test.ts',
  'settings.clusterManager.enable': 'apps/operator/test/cluster-manager-default.test.ts',
  'settings.clusterManager.rebalanceStrategy': 'apps/operator/test/cluster-manager-default.test.ts',
  'settings.clusterManager.pullInterval': 'tests/e2e/test/cluster-manager.test.ts',
  'settings.clusterManager.logSize': 'apps/cluster-manager/test/recent-logs.test.ts',
  'settings.clusterManager.debug': 'apps/cluster-manager/test/recent-logs.test.ts',
  // The backup test's snapshots carry the settings' default class, csi-snapclass.
  'settings.storage.snapshot_class': { file: 'apps/operator/test/backup.test.ts', proof: "volumeSnapshotClassName === 'csi-snapclass'" },
};

/** Values for leaves whose type alone does not give a valid one (strings with rules, lists, maps). */
export const SAMPLES: Record<string, unknown> = {
  'spec.id': 'other-id',
  'spec.size': 5,
  'spec.version': 'v1.13.0',
  'spec.pauses': [{ owner: 'ops', reason: 'disk check' }],
  'spec.image.repository': 'registry.example.com/qdrant/qdrant',
  'spec.image.pullSecretName': 'creds',
  'spec.resources.cpu': '3',
  'spec.resources.memory': '16Gi',
  'spec.resources.storage': '60Gi',
  'spec.resources.requests.cpu': '1',
  'spec.resources.requests.memory': '4Gi',
  'spec.tolerations': [{ key: 'dedicated', operator: 'Equal', value: 'qdrant', effect: 'NoSchedule' }],
  'spec.nodeSelector': { pool: 'db' },
  'spec.config.log_level': 'DEBUG',
  'spec.config.service.api_key.secretKeyRef.name': 'keys2',
  'spec.config.service.api_key.secretKeyRef.key': 'other',
  'spec.config.service.read_only_api_key.secretKeyRef.name': 'keys2',
  'spec.config.service.read_only_api_key.secretKeyRef.key': 'other',
  'spec.config.tls.cert.secretKeyRef.name': 'tls2',
  'spec.config.tls.cert.secretKeyRef.key': 'other',
  'spec.config.tls.key.secretKeyRef.name': 'tls2',
  'spec.config.tls.key.secretKeyRef.key': 'other',
  'spec.config.tls.caCert.secretKeyRef.name': 'tls2',
  'spec.config.tls.caCert.secretKeyRef.key': 'other',
  'spec.config.audit.dir': '/qdrant/storage/audit2',
  'spec.ingress.annotations': { 'example.com/a': 'b' },
  'spec.ingress.ingressClassName': 'public',
  'spec.ingress.host': 'b.example.com',
  'spec.ingress.tlsSecretName': 'tls2',
  'spec.ingress.nginx.allowedSourceRanges': ['10.1.0.0/16'],
  'spec.ingress.nginx.grpcHost': 'g2.example.com',
  'spec.ingress.traefik.allowedSourceRanges': ['10.1.0.0/16'],
  'spec.ingress.traefik.entryPoints': ['websecure'],
  'spec.service.annotations': { 'example.com/a': 'b' },
  'spec.service.loadBalancerSourceRanges': ['10.1.0.0/16'],
  'spec.gpu.deviceFilter': ['nvidia'],
  'spec.gpu.devices': ['1'],
  'spec.statefulSet.annotations': { 'example.com/a': 'b' },
  'spec.statefulSet.pods.annotations': { 'example.com/a': 'b' },
  'spec.statefulSet.pods.labels': { team: 'search' },
  'spec.statefulSet.pods.extraEnv': [{ name: 'EXTRA', value: '1' }],
  'spec.storageClassNames.db': 'fast',
  'spec.storageClassNames.snapshots': 'cheap',
  'spec.storage.volumeAttributesClassName': 'gold',
  'spec.storage.volumeSnapshotClassName': 'other-snapclass',
  'spec.storage.iops': 3000,
  'spec.storage.throughput': 125,
  'spec.storage.additionalVolumes': [{ name: 'scratch', emptyDir: {} }],
  'spec.storage.additionalVolumeClaimTemplates': [
    { metadata: { name: 'extra' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  ],
  'spec.storage.additionalVolumeMounts': [{ name: 'scratch', mountPath: '/scratch' }],
  'spec.topologySpreadConstraints': [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
  'spec.podDisruptionBudget.minAvailable': 2,
  'spec.podDisruptionBudget.maxUnavailable': 2,
  'spec.podDisruptionBudget.selector.matchLabels': { app: 'qdrant' },
  'spec.podDisruptionBudget.selector.matchExpressions': [{ key: 'app', operator: 'In', values: ['qdrant'] }],
  'spec.readClusters': [{ id: 'reader' }],
  'spec.writeCluster.id': 'writer',
  'settings.clusterManager.image.repository': 'registry.example.com/cm',
  'settings.clusterManager.image.tag': '9.9.9',
  'settings.clusterManager.node_selector': { pool: 'system' },
  'settings.clusterManager.tolerations': [{ key: 'system', operator: 'Exists', effect: 'NoSchedule' }],
  'settings.ingress.kubernetesIngress.ingressClassName': 'public',
  'settings.ingress.qdrantCloudTraefik.entryPoints': ['websecure'],
  'settings.ingress.qdrantCloudTraefik.secretName': 'tls2',
  'settings.storage.snapshot_class': 'other-snapclass',
  'settings.storage.default_storage_class_names.db': 'fast',
  'settings.storage.default_storage_class_names.snapshot': 'cheap',
  'settings.scheduling.default_topology_spread_constraints': [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
  'settings.scheduling.default_pod_disruption_budget.minAvailable': 2,
  'settings.scheduling.default_pod_disruption_budget.maxUnavailable': 2,
  'settings.scheduling.default_pod_disruption_budget.selector.matchLabels': { app: 'qdrant' },
  'settings.scheduling.default_pod_disruption_budget.selector.matchExpressions': [{ key: 'app', operator: 'In', values: ['qdrant'] }],
  'settings.qdrant.securityContext.user': '1000',
  'settings.qdrant.securityContext.fsGroup': '3000',
  'settings.qdrant.securityContext.group': '2000',
  'settings.qdrant.image.pull_secret': 'creds',
  'settings.qdrant.image.repository': 'registry.example.com/qdrant/qdrant',
  'settings.qdrant.networkPolicies.ingress': [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
  'settings.qdrant.networkPolicies.egress': [],
};

/**
 * What a leaf needs around it to matter: fields under a switch are tried with the switch on
 * (the ingress enabled, the provider that reads them, GPU indexing, TLS, audit logs).
 */
export const CONTEXTS: Array<{ prefix: string; spec?: Record<string, unknown>; settings?: string }> = [
  {
    prefix: 'spec.ingress.nginx',
    spec: { ingress: { enabled: true, host: 'a.example.com' } },
    settings: 'settings:\n  ingress:\n    provider: NginxIngress\n',
  },
  {
    prefix: 'spec.ingress.traefik',
    spec: { ingress: { enabled: true, host: 'a.example.com' } },
    settings: 'settings:\n  ingress:\n    provider: QdrantCloudTraefik\n',
  },
  { prefix: 'spec.ingress', spec: { ingress: { enabled: true, host: 'a.example.com', tlsSecretName: 'tls', tls: true } } },
  { prefix: 'spec.service.loadBalancerSourceRanges', spec: { service: { type: 'LoadBalancer' } } },
  { prefix: 'spec.gpu', spec: { gpu: { gpuType: 'nvidia' } } },
  { prefix: 'spec.config.service.api_key', spec: { config: { service: { api_key: { secretKeyRef: { name: 'keys', key: 'api-key' } } } } } },
  { prefix: 'spec.config.service.read_only_api_key', spec: { config: { service: { read_only_api_key: { secretKeyRef: { name: 'keys', key: 'ro' } } } } } },
  {
    prefix: 'spec.config.service.enable_tls',
    spec: { config: { tls: { cert: { secretKeyRef: { name: 'tls', key: 'crt' } }, key: { secretKeyRef: { name: 'tls', key: 'key' } } } } },
  },
  {
    prefix: 'spec.config.tls',
    spec: {
      config: {
        tls: {
          cert: { secretKeyRef: { name: 'tls', key: 'crt' } },
          key: { secretKeyRef: { name: 'tls', key: 'key' } },
          caCert: { secretKeyRef: { name: 'tls', key: 'ca' } },
        },
      },
    },
  },
  { prefix: 'spec.config.audit', spec: { config: { audit: { enabled: true } } } },
  { prefix: 'spec.podDisruptionBudget.selector', spec: { podDisruptionBudget: { maxUnavailable: 1 } } },
  { prefix: 'settings.ingress.kubernetesIngress', spec: { ingress: { enabled: true, host: 'a.example.com' } } },
  {
    prefix: 'settings.ingress.qdrantCloudTraefik',
    spec: { ingress: { enabled: true, host: 'a.example.com' } },
    settings: 'settings:\n  ingress:\n    provider: QdrantCloudTraefik\n    qdrantCloudTraefik:\n      tls: true\n',
  },
  { prefix: 'settings.ingress', spec: { ingress: { host: 'a.example.com' } }, settings: 'settings:\n  ingress:\n    enabled: true\n' },
  { prefix: 'settings.qdrant.securityContext', settings: 'settings:\n  qdrant:\n    securityContext:\n      enabled: true\n' },
  {
    prefix: 'settings.scheduling.default_pod_disruption_budget.selector',
    settings: 'settings:\n  scheduling:\n    default_pod_disruption_budget:\n      maxUnavailable: 1\n',
  },
];
