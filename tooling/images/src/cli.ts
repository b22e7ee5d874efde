// pnpm images: builds the three images and prints one JSON line each (reference, size, build time).
import { APPS, buildImage, type ImageName } from './build.ts';

for (const name of Object.keys(APPS) as ImageName[]) {
  const image = await buildImage(name);
  console.log(JSON.stringify({ ...image, sizeMiB: Math.round((image.sizeBytes / 1_048_576) * 10) / 10 }));
}
