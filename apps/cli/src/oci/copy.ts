import { RegistryError, type Manifest, type RegistryClient } from './client.ts';

export interface CopyResult {
  digest: string;
  /** False when the destination already had this digest under the tag. */
  copied: boolean;
  blobs: number;
  bytes: number;
}

interface Descriptor {
  digest: string;
  size: number;
  mediaType?: string;
}

type ManifestJson = { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[]; blobs?: Descriptor[] };

/**
 * Copies `repo:tag` with everything it references (an index's manifests, each manifest's config
 * and layers, a chart's content) from one registry to another, blobs first and the tag last,
 * so the tag never points at something incomplete. Blobs the destination has are skipped, and
 * within one registry they are mounted rather than sent again.
 */
export async function copyArtifact(source: RegistryClient, sourceRepo: string, target: RegistryClient, targetRepo: string, tag: string): Promise<CopyResult> {
  const top = await source.manifest(sourceRepo, tag);
  if (!top) throw new RegistryError(`${source.host}/${sourceRepo}:${tag} does not exist`, 404);
  const existing = await target.manifestDigest(targetRepo, tag);
  if (existing === top.digest) return { digest: top.digest, copied: false, blobs: 0, bytes: 0 };
  const totals = { blobs: 0, bytes: 0 };
  await copyTree(source, sourceRepo, target, targetRepo, top, totals);
  await target.putManifest(targetRepo, tag, top);
  return { digest: top.digest, copied: true, ...totals };
}

async function copyTree(
  source: RegistryClient,
  sourceRepo: string,
  target: RegistryClient,
  targetRepo: string,
  manifest: Manifest,
  totals: { blobs: number; bytes: number },
): Promise<void> {
  let json: ManifestJson;
  try {
    json = JSON.parse(new TextDecoder().decode(manifest.bytes)) as ManifestJson;
  } catch {
    throw new RegistryError(`${source.host}/${sourceRepo}@${manifest.digest} is not a JSON manifest`);
  }
  for (const child of json.manifests ?? []) {
    const inner = await source.manifest(sourceRepo, child.digest);
    if (!inner) throw new RegistryError(`${source.host}/${sourceRepo} lists ${child.digest} in its index but does not have it`, 404);
    await copyTree(source, sourceRepo, target, targetRepo, inner, totals);
    await target.putManifest(targetRepo, child.digest, inner);
  }
  const blobs = [json.config, ...(json.layers ?? []), ...(json.blobs ?? [])].filter((d): d is Descriptor => d !== undefined);
  for (const blob of blobs) {
    if (await target.hasBlob(targetRepo, blob.digest)) continue;
    if (source.host === target.host && (await target.mountBlob(targetRepo, blob.digest, sourceRepo))) continue;
    await target.putBlob(targetRepo, blob.digest, await source.blob(sourceRepo, blob.digest), blob.size);
    totals.blobs += 1;
    totals.bytes += blob.size;
  }
}
