import { clientServiceName, clusterResourceName, type OperatorSettings, type QdrantCluster } from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, type KubeObject } from '../object.ts';
import { objectMeta } from './labels.ts';
import { QDRANT_GRPC_PORT, QDRANT_HTTP_PORT, type ResolvedCluster } from './resolve.ts';

function rule(host: string, service: string, port: number) {
  return { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } };
}

/**
 * The cluster's Ingress(es) when enabled (the cluster's flag, else the settings'): one for
 * REST, and with NginxIngress a second for gRPC on `nginx.grpcHost`. The provider is the
 * operator's choice (settings.ingress.provider); the class the cluster's, else the settings'.
 */
export function buildIngresses(cluster: QdrantCluster, settings: OperatorSettings, resolved: ResolvedCluster): KubeObject[] {
  const spec = cluster.spec.ingress;
  const defaults = settings.settings.ingress;
  if (!(spec?.enabled ?? defaults.enabled)) return [];
  const host = spec?.host;
  if (!host) throw new ManifestError('spec.ingress.host', 'is required when the ingress is enabled');
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
      metadata: objectMeta(cluster, clusterResourceName(resolved.id), 'ingress', { annotations }),
      spec: { ingressClassName: className, rules: [rule(host, service, QDRANT_HTTP_PORT)], tls },
    }),
  ];
  const grpcHost = spec?.nginx?.grpcHost;
  if (grpcHost) {
    if (!nginx) throw new ManifestError('spec.ingress.nginx.grpcHost', `needs the NginxIngress provider, the operator uses ${defaults.provider}`);
    ingresses.push(
      normalize({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: objectMeta(cluster, `${clusterResourceName(resolved.id)}-grpc`, 'ingress', {
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
