import * as z from 'zod';
import { NonNegativeQuantity } from './quantity.ts';
import { Labels, LabelSelector, LabelKey, dns1123Label, dns1123Subdomain } from './meta.ts';

// core/v1 shapes that qdrant.io/v1 resources and the operator settings embed, with the
// rules of k8s.io/kubernetes pkg/apis/core/validation that a user can get wrong.

/**
 * A free-form object passed to Kubernetes as given: its many fields are Kubernetes' to
 * validate. Becomes `x-kubernetes-preserve-unknown-fields: true` in a CRD.
 */
export const FreeFormObject = z.looseObject({});

export const PullPolicy = z.enum(['Always', 'IfNotPresent', 'Never']);
export type PullPolicy = z.infer<typeof PullPolicy>;

export const ServiceType = z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']);
export type ServiceType = z.infer<typeof ServiceType>;

/** nodeSelector: a label map. */
export const NodeSelector = Labels;
export type NodeSelector = z.infer<typeof NodeSelector>;

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

export const LocalObjectReference = z.strictObject({ name: dns1123Subdomain });
export type LocalObjectReference = z.infer<typeof LocalObjectReference>;

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** A key of a Secret or ConfigMap. */
export const DataKey = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(DATA_KEY, 'must be a key of a Secret or ConfigMap: letters, digits, "-", "_" or "."');

export const SecretKeySelector = z.strictObject({ name: dns1123Subdomain, key: DataKey, optional: z.boolean().optional() });
export type SecretKeySelector = z.infer<typeof SecretKeySelector>;

export const ConfigMapKeySelector = z.strictObject({ name: dns1123Subdomain, key: DataKey, optional: z.boolean().optional() });

export const ObjectFieldSelector = z.strictObject({
  apiVersion: z.string().optional(),
  fieldPath: z.string().min(1, 'must name a field such as "metadata.name"'),
});

export const ResourceFieldSelector = z.strictObject({
  containerName: z.string().optional(),
  resource: z.string().min(1, 'must name a resource such as "limits.memory"'),
  divisor: NonNegativeQuantity.optional(),
});

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const EnvVarSource = z.strictObject({
  secretKeyRef: SecretKeySelector.optional(),
  configMapKeyRef: ConfigMapKeySelector.optional(),
  fieldRef: ObjectFieldSelector.optional(),
  resourceFieldRef: ResourceFieldSelector.optional(),
});

export const EnvVar = z
  .strictObject({
    name: z.string().min(1).regex(ENV_VAR_NAME, 'must be an environment variable name such as "QDRANT__LOG_LEVEL"'),
    value: z.string().optional(),
    valueFrom: EnvVarSource.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.value !== undefined && env.valueFrom !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['valueFrom'], message: 'must not be set together with value' });
    }
    if (env.valueFrom && Object.values(env.valueFrom).filter((v) => v !== undefined).length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['valueFrom'],
        message: 'must name exactly one source: secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef',
      });
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
export type VolumeMount = z.infer<typeof VolumeMount>;

/** The volume sources a pod spec accepts; their own fields are Kubernetes' business. */
export const VOLUME_SOURCES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'gitRepo',
  'glusterfs',
  'hostPath',
  'image',
  'iscsi',
  'nfs',
  'persistentVolumeClaim',
  'photonPersistentDisk',
  'portworxVolume',
  'projected',
  'quobyte',
  'rbd',
  'scaleIO',
  'secret',
  'storageos',
  'vsphereVolume',
] as const;
export type VolumeSourceName = (typeof VOLUME_SOURCES)[number];

const volumeSources = Object.fromEntries(VOLUME_SOURCES.map((source) => [source, FreeFormObject.optional()])) as Record<
  VolumeSourceName,
  z.ZodOptional<typeof FreeFormObject>
>;

export const Volume = z.strictObject({ name: dns1123Label, ...volumeSources }).superRefine((volume, ctx) => {
  const sources = VOLUME_SOURCES.filter((s) => volume[s] !== undefined);
  if (sources.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        sources.length === 0
          ? 'must name one volume source such as emptyDir, secret or persistentVolumeClaim'
          : `must name one volume source, found ${sources.join(', ')}`,
    });
  }
});
export type Volume = z.infer<typeof Volume>;

export const TypedLocalObjectReference = z.strictObject({ apiGroup: z.string().optional(), kind: z.string().min(1), name: z.string().min(1) });

export const ResourceList = z.record(z.string(), NonNegativeQuantity);

export const ResourceRequirements = z.strictObject({ requests: ResourceList.optional(), limits: ResourceList.optional() });
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;

export const PersistentVolumeAccessMode = z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);

export const PersistentVolumeClaimSpec = z
  .strictObject({
    accessModes: z.array(PersistentVolumeAccessMode).optional(),
    resources: ResourceRequirements.optional(),
    storageClassName: dns1123Subdomain.optional(),
    volumeMode: z.enum(['Filesystem', 'Block']).optional(),
    volumeName: z.string().optional(),
    volumeAttributesClassName: z.string().optional(),
    dataSource: TypedLocalObjectReference.optional(),
    dataSourceRef: TypedLocalObjectReference.extend({ namespace: z.string().optional() }).optional(),
    selector: LabelSelector.optional(),
  })
  .superRefine((spec, ctx) => {
    // The apiserver refuses a claim without a size; say so before it does.
    if (spec.resources?.requests?.storage === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resources', 'requests', 'storage'], message: 'is required: the size of the volume, e.g. "10Gi"' });
    }
  });
export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpec>;

export const TopologySpreadConstraint = z
  .strictObject({
    maxSkew: z.int().min(1, 'must be at least 1'),
    topologyKey: LabelKey,
    whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
    labelSelector: LabelSelector.optional(),
    minDomains: z.int().min(1, 'must be at least 1').optional(),
    matchLabelKeys: z.array(LabelKey).optional(),
    nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
    nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.minDomains !== undefined && c.whenUnsatisfiable !== 'DoNotSchedule') {
      ctx.addIssue({ code: 'custom', path: ['minDomains'], message: 'may only be set when whenUnsatisfiable is DoNotSchedule' });
    }
    if (c.matchLabelKeys && c.matchLabelKeys.length > 0 && !c.labelSelector) {
      ctx.addIssue({ code: 'custom', path: ['matchLabelKeys'], message: 'needs a labelSelector to add the keys to' });
    }
  });
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraint>;

/** Affinity is passed to the pod spec as given; Kubernetes validates its many shapes. */
export const Affinity = z.strictObject({
  nodeAffinity: FreeFormObject.optional(),
  podAffinity: FreeFormObject.optional(),
  podAntiAffinity: FreeFormObject.optional(),
});
export type Affinity = z.infer<typeof Affinity>;

/** core/v1 ContainerStatus as a pod reports it; read back from the apiserver, so loose. */
export const ContainerStatus = z.looseObject({
  name: z.string(),
  ready: z.boolean().optional(),
  started: z.boolean().optional(),
  restartCount: z.int().optional(),
  image: z.string().optional(),
  imageID: z.string().optional(),
  containerID: z.string().optional(),
  state: FreeFormObject.optional(),
  lastState: FreeFormObject.optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;
