import { create } from '@bufbuild/protobuf';
import { qhcV1 } from '@qhc/cloud-api';
import { QdrantClusterIngress, type ClusterRecord } from '@qhc/schemas';
import { defined, nonEmpty, type FieldProblem } from '../cluster/database-config.ts';
import { recordOf } from '../cluster/spec-of.ts';

// qhc.v1.ClusterIngress ↔ the QdrantCluster spec's `ingress`. Pure; the spec's own zod schema
// checks the result, each problem named by the proto field it came from.

type Ingress = NonNullable<ClusterRecord['spec']['ingress']>;

const FIELD = 'ingress';
const snake = (segment: string) => segment.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A spec path under `ingress` in the proto's spelling; annotation keys are quoted (they were key/value pairs). */
export function ingressFieldOf(path: readonly PropertyKey[]): string {
  if (path[0] === 'annotations' && path.length > 1) return `${FIELD}.annotations key ${JSON.stringify(String(path[1]))}`;
  return FIELD + path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${snake(String(segment))}`)).join('');
}

const list = (items: string[]) => (items.length ? items : undefined);

function draftOf(message: qhcV1.ClusterIngress, problems: FieldProblem[]) {
  return defined({
    // A client that sets an ingress wants it made unless it says otherwise.
    enabled: message.enabled ?? true,
    annotations: recordOf(message.annotations, `${FIELD}.annotations`, problems),
    ingressClassName: message.ingressClassName,
    host: message.host,
    tls: message.tls,
    tlsSecretName: message.tlsSecretName,
    nginx: message.nginx && nonEmpty({ allowedSourceRanges: list(message.nginx.allowedSourceRanges), grpcHost: message.nginx.grpcHost }),
    traefik: message.traefik && nonEmpty({ allowedSourceRanges: list(message.traefik.allowedSourceRanges), entryPoints: list(message.traefik.entryPoints) }),
  });
}

/** The spec's ingress for `message` (undefined: none), or the problems that refuse it. */
export function ingressOfMessage(message: qhcV1.ClusterIngress | undefined): { ingress?: Ingress; problems?: FieldProblem[] } {
  if (!message) return {};
  const problems: FieldProblem[] = [];
  if (message.tlsSecretName !== undefined && message.tls === false)
    problems.push({ field: `${FIELD}.tls_secret_name`, message: 'is set but tls is false: the certificate would not be used' });
  const parsed = QdrantClusterIngress.safeParse(draftOf(message, problems));
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => ({ field: ingressFieldOf(issue.path), message: issue.message })));
  if (problems.length > 0 || !parsed.success) return { problems };
  return { ingress: parsed.data };
}

/** The message for the spec's ingress, or undefined when the cluster has none. */
export function ingressMessage(ingress: Ingress | undefined): qhcV1.ClusterIngress | undefined {
  if (!ingress) return undefined;
  return create(qhcV1.ClusterIngressSchema, {
    enabled: ingress.enabled,
    annotations: Object.entries(ingress.annotations ?? {}).map(([key, value]) => ({ key, value })),
    ingressClassName: ingress.ingressClassName,
    host: ingress.host,
    tls: ingress.tls,
    tlsSecretName: ingress.tlsSecretName,
    nginx: ingress.nginx && { allowedSourceRanges: ingress.nginx.allowedSourceRanges ?? [], grpcHost: ingress.nginx.grpcHost },
    traefik: ingress.traefik && { allowedSourceRanges: ingress.traefik.allowedSourceRanges ?? [], entryPoints: ingress.traefik.entryPoints ?? [] },
  });
}
