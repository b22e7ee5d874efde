// The test-only admission policy that puts a product's pods on the real node without changing
// the product's manifests. Why each mutation:
// - hostNetwork: true. The sandbox has no pod network and no kube-proxy: the `kubernetes`
//   Service's ClusterIP (10.96.0.1) and every pod IP are private-range addresses nothing
//   answers on, and no traffic may go there. On the host's network a pod reaches the apiserver
//   and the test's servers on 127.0.0.1, like the processes the other tests start.
// - KUBERNETES_SERVICE_HOST/PORT = the apiserver's loopback address: in-cluster clients read
//   them (the ServiceAccount token and CA are mounted as in any cluster), so the token, the
//   Role and the RoleBinding are exercised for real. Set on the container, they win over the
//   kubelet's Service variables.
// - hostPort = containerPort: the API server requires it of hostNetwork pods (their defaulting
//   ran before admission).
// - a toleration for the node's taint and a nodeSelector for the node: only the matched pods
//   land there; everything else (Qdrant's StatefulSets) keeps going to kwok's node.
// - the namespace's Pod Security level: `baseline` forbids hostNetwork, so namespaces marked
//   for the real node are `privileged` (the installation labels its namespace `baseline`).
// - per-container extras the caller gives (bind addresses on 127.0.0.1, loopback URLs in
//   place of Service DNS names): on the host's network 0.0.0.0 would be every interface.
import type { SandboxClient } from './http.ts';
import { objectPath } from './http.ts';
import { REAL_NODE_TAINT } from './real-node-config.ts';

/** Label a namespace with this (value "true") for the policy to act in it. */
export const REAL_NODE_NAMESPACE_LABEL = 'sandbox.qhc.dev/real-node';
const POLICY = 'qhc-sandbox-real-node-pods';
const NAMESPACE_POLICY = 'qhc-sandbox-real-node-namespaces';

export interface ContainerExtras {
  env?: Record<string, string>;
  /** Appended to the container's args. */
  args?: string[];
}

export interface RealNodePolicyOptions {
  nodeName: string;
  /** The apiserver's loopback port. */
  apiServerPort: number;
  /** Which pods (in marked namespaces) go to the real node. */
  podLabels: Record<string, string>;
  /** Extras for containers, by container name. */
  containers?: Record<string, ContainerExtras>;
}

const q = (value: string) => JSON.stringify(value);
const envEntry = (name: string, value: string) => `Object.spec.containers.env{name: ${q(name)}, value: ${q(value)}}`;

/** CEL: the container `c`'s env entries, the apiserver's and the caller's for its name. */
function envExpression(options: RealNodePolicyOptions): string {
  const base = `[${envEntry('KUBERNETES_SERVICE_HOST', '127.0.0.1')}, ${envEntry('KUBERNETES_SERVICE_PORT', String(options.apiServerPort))}]`;
  const extras = Object.entries(options.containers ?? {})
    .filter(([, extra]) => extra.env && Object.keys(extra.env).length > 0)
    .map(
      ([name, extra]) =>
        `(c.name == ${q(name)} ? [${Object.entries(extra.env!)
          .map(([k, v]) => envEntry(k, v))
          .join(', ')}] : [])`,
    );
  return [base, ...extras].join(' + ');
}

/** CEL: JSON patches appending the caller's args to the first container (qhc's pods have one). */
function argsPatches(options: RealNodePolicyOptions): string {
  return Object.entries(options.containers ?? {})
    .filter(([, extra]) => extra.args && extra.args.length > 0)
    .map(
      ([name, extra]) =>
        `(object.spec.containers[0].name == ${q(name)} ? [JSONPatch{op: "add", path: "/spec/containers/0/args", value: object.spec.containers[0].?args.orValue([]) + ${JSON.stringify(extra.args)}}] : [])`,
    )
    .map((patch) => ` + ${patch}`)
    .join('');
}

function podPolicy(options: RealNodePolicyOptions): Record<string, unknown> {
  const placement = [
    'JSONPatch{op: "add", path: "/spec/hostNetwork", value: true}',
    `JSONPatch{op: "add", path: "/spec/nodeSelector", value: {"kubernetes.io/hostname": ${q(options.nodeName)}}}`,
    `JSONPatch{op: "add", path: "/spec/tolerations", value: object.spec.?tolerations.orValue([]) + [Object.spec.tolerations{key: ${q(REAL_NODE_TAINT)}, operator: "Exists", effect: "NoSchedule"}]}`,
  ];
  const containers = `object.spec.containers.map(c, Object.spec.containers{name: c.name, env: ${envExpression(options)}, ports: c.?ports.orValue([]).map(p, Object.spec.containers.ports{containerPort: p.containerPort, protocol: p.protocol, hostPort: p.containerPort})})`;
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: POLICY },
    spec: {
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      matchConstraints: {
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        namespaceSelector: { matchLabels: { [REAL_NODE_NAMESPACE_LABEL]: 'true' } },
        objectSelector: { matchLabels: options.podLabels },
      },
      mutations: [
        { patchType: 'JSONPatch', jsonPatch: { expression: `[${placement.join(', ')}]${argsPatches(options)}` } },
        { patchType: 'ApplyConfiguration', applyConfiguration: { expression: `Object{spec: Object.spec{containers: ${containers}}}` } },
      ],
    },
  };
}

function namespacePolicy(): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: NAMESPACE_POLICY },
    spec: {
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      matchConstraints: {
        resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'] }],
        objectSelector: { matchLabels: { [REAL_NODE_NAMESPACE_LABEL]: 'true' } },
      },
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"pod-security.kubernetes.io/enforce": "privileged"}}}' },
        },
      ],
    },
  };
}

const binding = (policyName: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingAdmissionPolicyBinding',
  metadata: { name: policyName },
  spec: { policyName },
});

/** The policies and their bindings, in apply order. */
export function realNodePolicyObjects(
  options: RealNodePolicyOptions,
): Array<Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } }> {
  return [podPolicy(options), binding(POLICY), namespacePolicy(), binding(NAMESPACE_POLICY)] as never;
}

/**
 * Applies the policies. A policy takes effect a moment after it is written (the apiserver
 * loads it from a watch): the caller checks a pod before relying on it.
 */
export async function applyRealNodePolicy(client: SandboxClient, options: RealNodePolicyOptions): Promise<void> {
  for (const object of realNodePolicyObjects(options)) await client.apply(objectPath(object), object);
}
