// Choices the forms offer, kept here rather than imported from @qhc/schemas so the pages that
// only show them do not load the validation chunk; test/lib.test.ts holds them to the schemas.
export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
/** Why a field cannot change once the cluster exists; test/lib.test.ts holds them to IMMUTABLE_CLUSTER_FIELDS. */
export const IMMUTABLE_REASONS = {
  storageClass:
    'the database volumes exist and Kubernetes cannot move a volume to another StorageClass; restore a backup into a new cluster to use another class',
} as const;
