// Seeding an OCI registry with plain HTTP calls, independent of the client under test, and
// reading back what a registry holds.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';

export const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Seeding with plain HTTP, independent of the client under test. */
export async function pushBlob(host: string, repo: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = digestOf(bytes);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  expect(start.status).toBe(202);
  const url = new URL(start.headers.get('location')!, `http://${host}`);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  expect(put.status).toBe(201);
  return { digest, size: bytes.length };
}

export async function pushManifest(host: string, repo: string, ref: string, mediaType: string, body: unknown): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body: bytes, headers: { 'content-type': mediaType } });
  expect(res.status, await res.text()).toBe(201);
  return digestOf(bytes);
}

/** A two-platform image index, each platform with its config and a layer. */
export async function seedImage(host: string, repo: string, tag: string): Promise<string> {
  const manifests = [];
  for (const arch of ['amd64', 'arm64']) {
    const config = await pushBlob(host, repo, Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })));
    const layer = await pushBlob(host, repo, Buffer.from(`${repo} ${arch} layer ${'x'.repeat(4096)}`));
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    };
    const digest = await pushManifest(host, repo, 'tmp', manifest.mediaType, manifest);
    manifests.push({ mediaType: manifest.mediaType, digest, size: Buffer.byteLength(JSON.stringify(manifest)), platform: { architecture: arch, os: 'linux' } });
  }
  return pushManifest(host, repo, tag, 'application/vnd.oci.image.index.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests,
  });
}

/** A Helm chart as Helm pushes one: its own config and content media types. */
export async function seedChart(host: string, repo: string, tag: string): Promise<string> {
  const config = await pushBlob(host, repo, Buffer.from(JSON.stringify({ name: 'qhc', version: tag, apiVersion: 'v2' })));
  const content = await pushBlob(host, repo, Buffer.from('not really a tarball, but bytes all the same'));
  return pushManifest(host, repo, tag, 'application/vnd.oci.image.manifest.v1+json', {
    schemaVersion: 2,
    config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', ...content }],
  });
}

export const remoteDigest = async (host: string, repo: string, tag: string, auth?: string) => {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json', ...(auth ? { authorization: auth } : {}) },
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : undefined;
};
