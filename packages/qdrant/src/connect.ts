import { QdrantClient } from '@qdrant/js-client-rest';

export interface QdrantEndpoint {
  /** The REST base URL of one Qdrant node, e.g. http://qdrant-abc-0.qdrant-abc-headless.ns.svc:6333 (a path prefix is kept). */
  url: string;
  apiKey?: string;
}

/**
 * A client for one node. Compatibility checks are off: they cost a request per client and
 * the operator already knows the version it rolled out.
 */
export function connectQdrant(endpoint: QdrantEndpoint, options: { timeoutMs?: number } = {}): QdrantClient {
  const url = new URL(endpoint.url);
  const prefix = url.pathname.replace(/\/+$/, '');
  return new QdrantClient({
    url: `${url.protocol}//${url.host}`,
    // The client treats an explicit port as authoritative; keep the URL's (or the scheme's default).
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    ...(prefix ? { prefix } : {}),
    ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
    timeout: options.timeoutMs ?? 30_000,
    checkCompatibility: false,
  });
}
