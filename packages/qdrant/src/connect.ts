import { createRequire } from 'node:module';
import type * as QdrantModule from '@qdrant/js-client-rest';
import type { QdrantClient } from '@qdrant/js-client-rest';

// Loaded on the first connection, not on import: the operator connects to Qdrant only to
// scale down, restart or back up, and the client (with the fetch it brings, a second undici
// and its WebAssembly parser beside @qhc/kube's) costs about 12 MiB of RSS from its import on.
const require = createRequire(import.meta.url);
let clientClass: typeof QdrantClient | undefined;

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
  clientClass ??= (require('@qdrant/js-client-rest') as typeof QdrantModule).QdrantClient;
  return new clientClass({
    url: `${url.protocol}//${url.host}`,
    // The client treats an explicit port as authoritative; keep the URL's (or the scheme's default).
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    ...(prefix ? { prefix } : {}),
    ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
    timeout: options.timeoutMs ?? 30_000,
    checkCompatibility: false,
  });
}
