import * as z from 'zod';
import { NonNegativeQuantity } from './quantity.ts';
import { Labels, LabelSelector, LabelKey, dns1123Label, dns1123Subdomain } from './meta.ts';

export const PullPolicy = z.enum(['Always', 'IfNotPresent', 'Never']);
export type PullPolicy = z.infer<typeof PullPolicy>;

export const ServiceType = z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']);
export type ServiceType = z.infer<typeof ServiceType>;

/** nodeSelector: a label map. */
export const NodeSelector = Labels;

export const Toleration = z
  .strictObject({
    key: LabelKey.optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute', '']).optional(),
    tolerationSeconds: z.int().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.operator === 'Exists' && t.value) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be empty when operator is Exists' });
    }
    if (!t.key && t.operator !== 'Exists') {
      ctx.addIssue({ code: 'custom', path: ['operator'], message: 'must be Exists when key is empty (a toleration that matches every taint)' });
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      ctx.addIssue({ code: 'custom', path: ['tolerationSeconds'], message: 'only applies to the NoExecute effect' });
    }
  });
export type Toleration = z.infer<typeof Toleration>;

export const LocalObjectReference = z.strictObject({ name: z.string().min(1) });

export const SecretKeySelector = z.strictObject({
  name: dns1123Subdomain,
  key: z.string().min(1).regex(/^[-._a-zA-Z0-9]+$/, 'must be a secret key: letters, digits, "-", "_" or "."'),
  optional: z.boolean().optional(),
});

const ConfigMapKeySelector = SecretKeySelector;

export const EnvVar = z
  .strictObject({
    name: z.string().min(1).regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'must be an environment variable name such as "QDRANT__LOG_LEVEL"'),
    value: z.string().optional(),
    valueFrom: z
      .strictObject({
        secretKeyRef: SecretKeySelector.optional(),
        configMapKeyRef: ConfigMapKeySelector.optional(),
        fieldRef: z.strictObject({ apiVersion: z.string().optional(), fieldPath: z.string() }).optional(),
        resourceFieldRef: z
          .strictObject({ containerName: z.string().optional(), resource: z.string(), divisor: NonNegativeQuantity.optional() })
          .optional(),
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.value !== undefined && env.valueFrom !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['valueFrom'], message: 'must not be set together with value' });
    }
    if (env.valueFrom && Object.values(env.valueFrom).filter((v) => v !== undefined).length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['valueFrom'], message: 'must name exactly one source' });
    }
  });
export type EnvVar = z.infer<typeof EnvVar>;

export const VolumeMount = z.strictObject({
  name: dns1123Label,
  mountPath: z.string().startsWith('/', 'must be an absolute path'),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  readOnly: z.boolean().optional(),
  mountPropagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
  recursiveReadOnly: z.enum(['Disabled', 'IfPossible', 'Enabled']).optional(),
});

/** The volume sources a pod spec accepts; their own fields are Kubernetes' business. */
const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI',
  'emptyDir', 'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs',
  'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume',
  'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
] as const;

const looseSource = z.looseObject({});

export const Volume = z
  .strictObject({
    name: dns1123Label,
    ...Object.fromEntries(VOLUME_SOURCES.map((source) => [source, looseSource.optional()])),
  })
  .superRefine((volume, ctx) => {
    const sources = VOLUME_SOURCES.filter((s) => (volume as Record<string, unknown>)[s] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: sources.length === 0 ? 'must name one volume source such as emptyDir, secret or persistentVolumeClaim' : `must name one volume source, found ${sources.join(', ')}`,
      });
    }
  });
export type Volume = z.infer<typeof Volume>;

export const TypedLocalObjectReference = z.strictObject({
  apiGroup: z.string().optional(),
  kind: z.string().min(1),
  name: z.string().min(1),
});

export const PersistentVolumeClaimSpec = z.strictObject({
  accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).optional(),
  resources: z
    .strictObject({
      requests: z.record(z.string(), NonNegativeQuantity).optional(),
      limits: z.record(z.string(), NonNegativeQuantity).optional(),
    })
    .optional(),
  storageClassName: dns1123Subdomain.optional(),
  volumeMode: z.enum(['Filesystem', 'Block']).optional(),
  volumeName: z.string().optional(),
  volumeAttributesClassName: z.string().optional(),
  dataSource: TypedLocalObjectReference.optional(),
  dataSourceRef: TypedLocalObjectReference.extend({ namespace: z.string().optional() }).optional(),
  selector: LabelSelector.optional(),
});
export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpec>;

export const TopologySpreadConstraint = z.strictObject({
  maxSkew: z.int().min(1, 'must be at least 1'),
  topologyKey: LabelKey,
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
  labelSelector: LabelSelector.optional(),
  minDomains: z.int().min(1).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
});
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraint>;

/** Affinity is passed to the pod spec as given; Kubernetes validates its many shapes. */
export const Affinity = z.strictObject({
  nodeAffinity: z.looseObject({}).optional(),
  podAffinity: z.looseObject({}).optional(),
  podAntiAffinity: z.looseObject({}).optional(),
});

export const ResourceRequirements = z.strictObject({
  requests: z.record(z.string(), NonNegativeQuantity).optional(),
  limits: z.record(z.string(), NonNegativeQuantity).optional(),
});

