// The part of the OCI distribution API a mirror needs: manifests and blobs, read from one
// registry and written to another, with the registries' token or basic authentication.
import type { BasicCredentials } from './credentials.ts';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface Manifest {
  mediaType: string;
  digest: string;
  bytes: Uint8Array;
}

export class RegistryError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'RegistryError';
    this.status = status;
  }
}

export interface RegistryClientOptions {
  plainHttp: boolean;
  credentials?: BasicCredentials;
  /** What to tell a user the registry refused for want of a login. */
  loginHint?: string;
}

/** One registry, as `host[:port]`. */
export class RegistryClient {
  readonly host: string;
  readonly #base: string;
  readonly #credentials: BasicCredentials | undefined;
  readonly #plainHttp: boolean;
  readonly #loginHint: string;
  /** Bearer tokens by scope: one token exchange per repository and access. */
  readonly #tokens = new Map<string, string>();
  /** Set once the registry asked for basic authentication: it then goes with every request. */
  #basic: string | undefined;

  constructor(host: string, options: RegistryClientOptions) {
    this.host = host;
    this.#base = `${options.plainHttp ? 'http' : 'https'}://${host}`;
    this.#credentials = options.credentials;
    this.#plainHttp = options.plainHttp;
    this.#loginHint = options.loginHint ?? `run docker login, podman login or helm registry login ${host}`;
  }

  async manifest(repo: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.#request('GET', repo, `/v2/${repo}/manifests/${reference}`, { headers: { accept: MANIFEST_TYPES.join(', ') } });
    if (res.status === 404) return undefined;
    await this.#expect(res, [200], `reading manifest ${repo}:${reference}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const mediaType = res.headers.get('content-type')?.split(';')[0] ?? (JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: string }).mediaType ?? '';
    // What is copied is what was hashed: a manifest whose bytes do not match its digest is refused.
    const digest = await sha256(bytes);
    const claimed = reference.startsWith('sha256:') ? reference : res.headers.get('docker-content-digest');
    if (claimed && claimed !== digest)
      throw new RegistryError(`${this.host}: manifest ${repo}:${reference} has digest ${digest}, not ${claimed} as the registry says`);
    return { mediaType, bytes, digest };
  }

  /** The digest `reference` has here, or undefined. */
  async manifestDigest(repo: string, reference: string): Promise<string | undefined> {
    const res = await this.#request('HEAD', repo, `/v2/${repo}/manifests/${reference}`, { headers: { accept: MANIFEST_TYPES.join(', ') }, push: true });
    if (res.status === 404) return undefined;
    await this.#expect(res, [200], `checking manifest ${repo}:${reference}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const res = await this.#request('HEAD', repo, `/v2/${repo}/blobs/${digest}`, { push: true });
    if (res.status === 404) return false;
    await this.#expect(res, [200], `checking blob ${digest} in ${repo}`);
    return true;
  }

  /** The blob's bytes as a stream (its size is the descriptor's: a Content-Length may count compressed transfer bytes). */
  async blob(repo: string, digest: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.#request('GET', repo, `/v2/${repo}/blobs/${digest}`, {});
    await this.#expect(res, [200], `reading blob ${digest} from ${repo}`);
    if (!res.body) throw new RegistryError(`${this.host}: blob ${digest} of ${repo} has no body`);
    return res.body;
  }

  /** Mounts a blob from another repository of this registry; false when the registry would rather receive it. */
  async mountBlob(repo: string, digest: string, from: string): Promise<boolean> {
    const res = await this.#request('POST', repo, `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, {
      push: true,
      scopes: [`repository:${from}:pull`],
    });
    if (res.status === 201) return true;
    await this.#expect(res, [202], `mounting blob ${digest} into ${repo}`);
    // 202: an upload session was opened instead; it expires unused.
    return false;
  }

  /** Uploads a blob in one request; the registry checks the digest. */
  async putBlob(repo: string, digest: string, body: ReadableStream<Uint8Array>, size: number): Promise<void> {
    const start = await this.#request('POST', repo, `/v2/${repo}/blobs/uploads/`, { push: true });
    await this.#expect(start, [202], `starting an upload to ${repo}`);
    const location = start.headers.get('location');
    if (!location) throw new RegistryError(`${this.host}: the upload to ${repo} returned no Location`);
    // The Location's own query (upload state, signatures) is kept byte for byte.
    const url = new URL(location, this.#base);
    url.search = `${url.search ? `${url.search}&` : '?'}digest=${encodeURIComponent(digest)}`;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'content-length': String(size) };
    const res = await this.#request('PUT', repo, url.toString(), { headers, body, push: true });
    await this.#expect(res, [201], `uploading blob ${digest} to ${repo}`);
  }

  async putManifest(repo: string, reference: string, manifest: Manifest): Promise<void> {
    const res = await this.#request('PUT', repo, `/v2/${repo}/manifests/${reference}`, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      push: true,
    });
    await this.#expect(res, [201], `writing manifest ${repo}:${reference}`);
  }

  async #request(
    method: string,
    repo: string,
    pathOrUrl: string,
    options: { headers?: Record<string, string>; body?: Uint8Array | ReadableStream<Uint8Array>; push?: boolean; scopes?: string[] },
  ): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.#base}${pathOrUrl}`;
    const scope = [`repository:${repo}:${options.push ? 'pull,push' : 'pull'}`, ...(options.scopes ?? [])].join(' ');
    const send = (authorization?: string) =>
      fetch(url, {
        method,
        redirect: 'follow',
        headers: { ...options.headers, ...(authorization ? { authorization } : {}) },
        body: options.body,
        // A streamed request body needs half duplex.
        ...(options.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit).catch((error: Error & { cause?: { code?: string; message?: string } }) => {
        throw new RegistryError(
          `${this.host}: ${method} ${new URL(url).pathname} failed: ${error.cause?.code ?? error.cause?.message ?? error.message}${error.cause?.code === 'EPROTO' || /wrong version number|ssl/i.test(String(error.cause?.message)) ? ' (a plain-HTTP registry? use --plain-http, or --source-plain-http for the one copied from)' : ''}`,
        );
      });
    const cached = this.#tokens.get(scope);
    const first = await send(cached ? `Bearer ${cached}` : this.#basic);
    if (first.status !== 401) return first;
    // A streamed body cannot be sent twice; uploads start with a bodiless POST, so they authenticate there.
    if (options.body instanceof ReadableStream) return first;
    const challenge = first.headers.get('www-authenticate') ?? '';
    await first.body?.cancel();
    const authorization = await this.#authorize(challenge, scope);
    return send(authorization);
  }

  async #authorize(challenge: string, scope: string): Promise<string> {
    const basic = this.#credentials ? `Basic ${Buffer.from(`${this.#credentials.username}:${this.#credentials.password}`).toString('base64')}` : undefined;
    if (/^basic/i.test(challenge)) {
      if (!basic) throw new RegistryError(`${this.host} needs a login: ${this.#loginHint}`, 401);
      this.#basic = basic;
      return basic;
    }
    if (!/^bearer/i.test(challenge))
      throw new RegistryError(`${this.host} answered 401 with an authentication scheme qhc does not speak: ${JSON.stringify(challenge)}`, 401);
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
    if (!params.realm) throw new RegistryError(`${this.host}: the token challenge names no realm: ${JSON.stringify(challenge)}`, 401);
    const url = new URL(params.realm);
    // Credentials go to a token service over TLS only, unless this registry is plain HTTP by choice.
    if (basic && url.protocol !== 'https:' && !this.#plainHttp)
      throw new RegistryError(`${this.host}: its token service ${url.origin} is not HTTPS; refusing to send credentials there`, 401);
    if (params.service) url.searchParams.set('service', params.service);
    for (const s of scope.split(' ')) url.searchParams.append('scope', s);
    const res = await fetch(url, { headers: basic ? { authorization: basic } : {} }).catch((error: Error) => {
      throw new RegistryError(`${this.host}: the token service ${url.origin} is unreachable: ${error.message}`);
    });
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 200).trim();
      throw new RegistryError(
        `${this.host}: the token service refused (${res.status}${detail ? `: ${detail}` : ''})${basic ? ': check the stored login' : `: ${this.#loginHint}`}`,
        res.status,
      );
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`${this.host}: the token service returned no token`);
    this.#tokens.set(scope, token);
    return `Bearer ${token}`;
  }

  async #expect(res: Response, statuses: number[], what: string): Promise<void> {
    if (statuses.includes(res.status)) return;
    let detail = '';
    try {
      const body = (await res.json()) as { errors?: Array<{ code?: string; message?: string }> };
      detail = body.errors?.map((e) => `${e.code}: ${e.message}`).join('; ') ?? '';
    } catch {
      // Not the registry's JSON error body.
    }
    const hint = res.status === 401 || res.status === 403 ? ` (${this.#loginHint})` : '';
    throw new RegistryError(`${this.host}: ${what} failed with ${res.status}${detail ? ` (${detail})` : ''}${hint}`, res.status);
  }
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return `sha256:${Buffer.from(hash).toString('hex')}`;
}
