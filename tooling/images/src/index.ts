export { APPS, RUN, STORAGE, UID, buildImage, podmanEnv, type BuiltImage, type ImageName } from './build.ts';
export { pushRelease, type PushOptions, type PushedArtifact } from './push.ts';
