import * as z from 'zod';

// Names, labels and selectors with the rules of k8s.io/apimachinery's validation package.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const dns1123Label = z
  .string()
  .max(63, 'must be at most 63 characters (an RFC 1123 label)')
  .regex(DNS1123_LABEL, 'must be an RFC 1123 label: lower case letters, digits and "-", starting and ending with a letter or digit');

export const dns1123Subdomain = z
  .string()
  .max(253, 'must be at most 253 characters (an RFC 1123 subdomain)')
  .regex(DNS1123_SUBDOMAIN, 'must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit');

/** Problems with a label or annotation key (`prefix/name`), or undefined when it is valid. */
export function checkQualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a key may contain at most one "/"';
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      return `the prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lower case, at most 253 characters)`;
    }
  }
  if (name.length === 0 || name.length > 63) return 'the name part must be 1 to 63 characters';
  if (!LABEL_NAME.test(name)) return 'the name part must be letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

export const LabelKey = z.string().superRefine((key, ctx) => {
  const problem = checkQualifiedName(key);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid key ${JSON.stringify(key)}: ${problem}` });
});

export const LabelValue = z
  .string()
  .max(63, 'must be at most 63 characters (a label value)')
  .regex(LABEL_VALUE, 'must be empty or letters, digits, "-", "_" or ".", starting and ending with a letter or digit');

/** Label maps: keys and values checked as Kubernetes checks them; problems point at the key. */
export const Labels = z.record(z.string(), LabelValue).superRefine((labels, ctx) => {
  for (const key of Object.keys(labels)) {
    const problem = checkQualifiedName(key);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: `invalid label key: ${problem}` });
  }
});

export const Annotations = z.record(z.string(), z.string()).superRefine((annotations, ctx) => {
  for (const key of Object.keys(annotations)) {
    const problem = checkQualifiedName(key);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], message: `invalid annotation key: ${problem}` });
  }
});

export const LabelSelectorRequirement = z
  .strictObject({ key: LabelKey, operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(LabelValue).optional() })
  .superRefine((req, ctx) => {
    const hasValues = (req.values?.length ?? 0) > 0;
    if ((req.operator === 'In' || req.operator === 'NotIn') && !hasValues) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must list at least one value when operator is ${req.operator}` });
    }
    if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && hasValues) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `must be empty when operator is ${req.operator}` });
    }
  });

export const LabelSelector = z.strictObject({ matchLabels: Labels.optional(), matchExpressions: z.array(LabelSelectorRequirement).optional() });
export type LabelSelector = z.infer<typeof LabelSelector>;

export const OwnerReference = z.strictObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/**
 * metadata of an object. Loose: the apiserver adds fields (managedFields, uid, …) that a
 * resource read back from it must still parse with; what a user writes is validated.
 */
export const ObjectMeta = z.looseObject({
  name: dns1123Subdomain.optional(),
  generateName: z.string().optional(),
  namespace: dns1123Label.optional(),
  labels: Labels.optional(),
  annotations: Annotations.optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(OwnerReference).optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** An RFC 3339 time as the apiserver writes metav1.Time; kept a string, the wire format. */
export const Timestamp = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 time such as "2026-01-02T15:04:05Z"' });

const CONDITION_TYPE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** metav1.Condition, with the limits its own CRD schema declares. */
export const Condition = z.strictObject({
  type: z.string().max(316).regex(CONDITION_TYPE, 'must be a condition type such as "Ready" or "example.com/Synced"'),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.int().min(0).optional(),
  lastTransitionTime: Timestamp,
  reason: z.string().max(1024).regex(CONDITION_REASON, 'must be a CamelCase reason such as "PodsReady"'),
  message: z.string().max(32768),
});
export type Condition = z.infer<typeof Condition>;
