// The publishing half of a release: every image and the chart, under the names and tags
// releaseArtifacts() gives (the ones installations reference and `qhc mirror` copies).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { releaseArtifacts, type ReleaseArtifact } from '@qhc/manifests';
import { helm, packageChart, registryAuthFile } from '@qhc/helm';
import { STORAGE, type ImageName } from './build.ts';

const exec = promisify(execFile);

export interface PushOptions {
  version: string;
  /** Where images go: `registry.example.com/qdrant`. */
  registry: string;
  /** Where the chart goes: `registry.example.com/qdrant-charts` (no scheme). */
  charts: string;
  /** Local image per app, default `localhost/<app>:<version>` as buildImage names them. */
  localImages?: Partial<Record<ImageName, string>>;
  plainHttp?: boolean;
}

export interface PushedArtifact extends ReleaseArtifact {
  reference: string;
}

/** Pushes the release's images (buildah) and its packaged chart (helm). */
export async function pushRelease(options: PushOptions): Promise<PushedArtifact[]> {
  const pushed: PushedArtifact[] = [];
  const work = mkdtempSync(join(tmpdir(), 'qhc-push-'));
  try {
    for (const artifact of releaseArtifacts(options.version)) {
      if (artifact.kind === 'chart') {
        const tgz = await packageChart(work, artifact.tag);
        const auth = registryAuthFile();
        await helm(['push', tgz, `oci://${options.charts}`, ...(auth ? ['--registry-config', auth] : []), ...(options.plainHttp ? ['--plain-http'] : [])]);
        pushed.push({ ...artifact, reference: `${options.charts}/${artifact.name}:${artifact.tag}` });
        continue;
      }
      const local = options.localImages?.[artifact.source as ImageName] ?? `localhost/${artifact.source}:${options.version}`;
      const reference = `${options.registry}/${artifact.name}:${artifact.tag}`;
      await exec('buildah', [...STORAGE, 'push', '--quiet', ...(options.plainHttp ? ['--tls-verify=false'] : []), local, `docker://${reference}`], {
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { stderr?: string; message: string }) => {
        throw new Error(`pushing ${local} to ${reference} failed: ${error.stderr?.trim() || error.message}`);
      });
      pushed.push({ ...artifact, reference });
    }
    return pushed;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
