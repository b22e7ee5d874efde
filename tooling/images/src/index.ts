export { APPS, RUN, STORAGE, UID, buildImage, podmanEnv, type BuiltImage, type ImageName } from './build.ts';
