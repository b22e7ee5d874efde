import { clientServiceName, grpcIngressName, ingressName, ingressRouteName, ipAllowListName, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, type ResolvedCluster } from './resolve.ts';

/** Traefik's own kinds (Traefik v3); served only where Traefik's CRDs are installed. */
export const TRAEFIK_API_VERSION = 'traefik.io/v1alpha1';
export const TRAEFIK_KINDS = [
  { apiVersion: TRAEFIK_API_VERSION, kind: 'IngressRoute' },
  { apiVersion: TRAEFIK_API_VERSION, kind: 'Middleware' },
] as const;
/** How Traefik's CRD provider picks the routes of one controller (its `ingressClass` option). */
export const TRAEFIK_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

type IngressSpec = NonNullable<QdrantCluster['spec']['ingress']>;
type Provider = OperatorSettings['settings']['ingress']['provider'];

function rule(host: string, service: string, port: number) {
  return { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } };
}

/** Provider-specific fields under another provider would be accepted and do nothing: refuse them, naming the first set. */
function checkProviderFields(spec: IngressSpec | undefined, provider: Provider): void {
  const owners = [
    ['nginx', 'NginxIngress'],
    ['traefik', 'QdrantCloudTraefik'],
  ] as const;
  for (const [block, needs] of owners) {
    const set = Object.keys(spec?.[block] ?? {});
    if (set.length > 0 && provider !== needs) {
      throw new ManifestError(`spec.ingress.${block}.${set[0]}`, `needs the ${needs} provider, the operator uses ${provider} (settings.ingress.provider)`);
    }
  }
}

/**
 * The cluster's ingress objects when enabled (the cluster's flag, else the settings'). The
 * provider is the operator's choice (settings.ingress.provider): KubernetesIngress and
 * NginxIngress make Ingresses (NginxIngress a second one for gRPC on `nginx.grpcHost`),
 * QdrantCloudTraefik a Traefik IngressRoute. The class is the cluster's, else the settings'.
 */
export function buildIngresses(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster): KubeObject[] {
  const spec = cluster.spec.ingress;
  const defaults = settings.settings.ingress;
  if (!(spec?.enabled ?? defaults.enabled)) return [];
  checkProviderFields(spec, defaults.provider);
  const host = spec?.host;
  if (!host) throw new ManifestError('spec.ingress.host', 'is required when the ingress is enabled');
  if (defaults.provider === 'QdrantCloudTraefik') return buildTraefikRoute(cluster, settings, resolved, host);
  if (spec?.tls && !spec.tlsSecretName) throw new ManifestError('spec.ingress.tlsSecretName', 'is required when ingress tls is true');
  const nginx = defaults.provider === 'NginxIngress';
  const className = spec?.ingressClassName ?? (defaults.kubernetesIngress.ingressClassName || (nginx ? 'nginx' : undefined));
  const annotations: Record<string, string> = { ...spec?.annotations };
  if (nginx && spec?.nginx?.allowedSourceRanges?.length) {
    annotations['nginx.ingress.kubernetes.io/whitelist-source-range'] = spec.nginx.allowedSourceRanges.join(',');
  }
  const service = clientServiceName(resolved.id);
  const tls = spec?.tls ? [{ hosts: [host], secretName: spec.tlsSecretName }] : undefined;
  const ingresses: KubeObject[] = [
    normalize({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: objectMeta(cluster, ingressName(resolved.id), 'ingress', { annotations }),
      spec: { ingressClassName: className, rules: [rule(host, service, QDRANT_HTTP_PORT)], tls },
    }),
  ];
  const grpcHost = spec?.nginx?.grpcHost;
  if (grpcHost) {
    ingresses.push(
      normalize({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: objectMeta(cluster, grpcIngressName(resolved.id), 'ingress', {
          annotations: { ...annotations, 'nginx.ingress.kubernetes.io/backend-protocol': 'GRPC' },
        }),
        spec: {
          ingressClassName: className,
          rules: [rule(grpcHost, service, QDRANT_GRPC_PORT)],
          tls: spec?.tls ? [{ hosts: [grpcHost], secretName: spec.tlsSecretName }] : undefined,
        },
      }),
    );
  }
  return ingresses;
}

/**
 * QdrantCloudTraefik: an IngressRoute for REST on the host, on the cluster's entry points
 * (else the settings'; none listed means all of Traefik's), with TLS from the cluster's
 * `tls` (else the settings'); allowed source ranges become an ipAllowList Middleware.
 */
function buildTraefikRoute(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster, host: string): KubeObject[] {
  const spec = cluster.spec.ingress;
  const traefik = settings.settings.ingress.qdrantCloudTraefik;
  const tls = spec?.tls ?? traefik.tls;
  const secretName = spec?.tlsSecretName ?? (traefik.secretName || undefined);
  const entryPoints = spec?.traefik?.entryPoints ?? traefik.entryPoints;
  const className = spec?.ingressClassName ?? (settings.settings.ingress.kubernetesIngress.ingressClassName || undefined);
  const annotations: Record<string, string> = { ...spec?.annotations, ...(className ? { [TRAEFIK_CLASS_ANNOTATION]: className } : {}) };
  const ranges = spec?.traefik?.allowedSourceRanges ?? [];
  const objects: KubeObject[] = [];
  if (ranges.length > 0) {
    objects.push(
      normalize({
        apiVersion: TRAEFIK_API_VERSION,
        kind: 'Middleware',
        metadata: objectMeta(cluster, ipAllowListName(resolved.id), 'ingress'),
        spec: { ipAllowList: { sourceRange: ranges } },
      }),
    );
  }
  objects.push(
    normalize({
      apiVersion: TRAEFIK_API_VERSION,
      kind: 'IngressRoute',
      metadata: objectMeta(cluster, ingressRouteName(resolved.id), 'ingress', { annotations }),
      spec: {
        entryPoints: entryPoints.length > 0 ? entryPoints : undefined,
        routes: [
          {
            kind: 'Rule',
            match: `Host(\`${host}\`)`,
            middlewares: ranges.length > 0 ? [{ name: ipAllowListName(resolved.id) }] : undefined,
            services: [{ name: clientServiceName(resolved.id), port: QDRANT_HTTP_PORT }],
          },
        ],
        // An empty tls block serves Traefik's default certificate.
        tls: tls ? (secretName ? { secretName } : {}) : undefined,
      },
    }),
  );
  return objects;
}
