import { KubeApiError } from './errors.ts';
import type { KubeTransport } from './transport.ts';

export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  /** e.g. "statefulsets" */
  plural: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/**
 * apiVersion + kind → REST resource, from the apiserver's discovery documents. Cached per
 * group/version; a miss re-reads once, because a CRD installed after the first look-up
 * adds kinds (the operator installs and then uses its CRDs).
 */
export class Discovery {
  private readonly cache = new Map<string, Promise<ApiResourceList>>();
  private readonly transport: KubeTransport;

  constructor(transport: KubeTransport) {
    this.transport = transport;
  }

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let found = await this.find(apiVersion, kind, false);
    found ??= await this.find(apiVersion, kind, true);
    if (!found) {
      throw new KubeApiError({
        method: 'GET',
        path: discoveryPath(apiVersion),
        status: 404,
        body: { message: `the server has no kind ${kind} in ${apiVersion} (is its CRD installed?)`, reason: 'NotFound' },
        ref: { apiVersion, kind },
      });
    }
    return found;
  }

  private async find(apiVersion: string, kind: string, refresh: boolean): Promise<ResourceInfo | undefined> {
    if (refresh) this.cache.delete(apiVersion);
    let list = this.cache.get(apiVersion);
    if (!list) {
      list = this.transport
        .request<ApiResourceList>('GET', discoveryPath(apiVersion))
        .then((r) => r.body)
        .catch((error: unknown) => {
          this.cache.delete(apiVersion);
          if (error instanceof KubeApiError && error.isNotFound) return { resources: [] };
          throw error;
        });
      this.cache.set(apiVersion, list);
    }
    const resource = (await list).resources.find((r) => r.kind === kind && !r.name.includes('/'));
    return resource ? { apiVersion, kind, plural: resource.name, namespaced: resource.namespaced } : undefined;
  }
}

export function discoveryPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The REST path of a collection (no name) or of one object. */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  let path = discoveryPath(info.apiVersion);
  if (info.namespaced) {
    if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
    else if (name) throw new Error(`${info.kind} ${name} is namespaced: give its namespace`);
  }
  path += `/${info.plural}`;
  if (name) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}
