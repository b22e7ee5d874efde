import { readFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';

/** Client-certificate credentials for the sandbox apiserver. */
export interface Credentials {
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

export class KubeRequestError extends Error {
  override readonly name = 'KubeRequestError';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;

  constructor(method: string, path: string, status: number, body: unknown) {
    const message = (body as { message?: string } | undefined)?.message ?? JSON.stringify(body);
    super(`${method} ${path} failed with ${status}: ${message}`);
    this.method = method;
    this.path = path;
    this.status = status;
    this.body = body;
  }
}

/**
 * A minimal HTTPS client for the sandbox's own needs (set-up, test helpers, the snapshot
 * controller). JSON goes on the wire unchanged: client-node's serializer drops fields of
 * CRD schemas (x-kubernetes-*), which the sandbox applies.
 */
export class SandboxClient {
  private readonly tls: Pick<RequestOptions, 'ca' | 'cert' | 'key'>;
  private readonly base: URL;

  constructor(credentials: Credentials) {
    this.base = new URL(credentials.server);
    this.tls = { ca: readFileSync(credentials.caFile), cert: readFileSync(credentials.certFile), key: readFileSync(credentials.keyFile) };
  }

  request<T = unknown>(method: string, path: string, options: { body?: unknown; contentType?: string; timeoutMs?: number } = {}): Promise<KubeResponse<T>> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          ...this.tls,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': options.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
          timeout: options.timeoutMs ?? 15_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text.length > 0 ? JSON.parse(text) : undefined;
            } catch {
              // /readyz and friends answer in plain text.
            }
            resolve({ status: res.statusCode ?? 0, body: body as T });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like request, but any status outside 2xx (and 404 unless allowed) is an error. */
  async call<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; allowNotFound?: boolean } = {},
  ): Promise<T | undefined> {
    const response = await this.request<T>(method, path, options);
    if (response.status === 404 && options.allowNotFound) return undefined;
    if (response.status < 200 || response.status >= 300) throw new KubeRequestError(method, path, response.status, response.body);
    return response.body;
  }

  /** Server-side apply under the sandbox's own field manager. */
  apply<T = unknown>(path: string, object: unknown, fieldManager = 'qhc-sandbox'): Promise<T | undefined> {
    const separator = path.includes('?') ? '&' : '?';
    return this.call<T>('PATCH', `${path}${separator}fieldManager=${fieldManager}&force=true`, { body: object, contentType: 'application/apply-patch+yaml' });
  }
}

/** The REST path of a named object, for the handful of kinds the sandbox itself touches. */
export function objectPath(object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  const { apiVersion, kind, metadata } = object;
  const plural = PLURALS[kind];
  if (!plural) throw new Error(`the sandbox does not know the resource of kind ${kind}`);
  const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = metadata.namespace ? `/namespaces/${metadata.namespace}` : '';
  return `${prefix}${ns}/${plural}/${metadata.name}`;
}

const PLURALS: Record<string, string> = {
  Node: 'nodes',
  Namespace: 'namespaces',
  StorageClass: 'storageclasses',
  CustomResourceDefinition: 'customresourcedefinitions',
  VolumeSnapshotClass: 'volumesnapshotclasses',
  VolumeSnapshot: 'volumesnapshots',
  VolumeSnapshotContent: 'volumesnapshotcontents',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes',
  ConfigMap: 'configmaps',
  StatefulSet: 'statefulsets',
  MutatingAdmissionPolicy: 'mutatingadmissionpolicies',
  MutatingAdmissionPolicyBinding: 'mutatingadmissionpolicybindings',
};
