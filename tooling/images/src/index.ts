export { APPS, RUN, STORAGE, UID, WORKSPACE_ROOT, appEntry, buildImage, nodeFlags, podmanEnv, type BuiltImage, type ImageName } from './build.ts';
export { BANNER, bundleApp, type BundleResult } from './bundle.ts';
export { BUNDLE_ALLOW, assertBundleLoadsOnlyBuiltins, checkBundle, describeLoad, runtimeLoads, type AllowedLoad, type RuntimeLoad } from './bundle-check.ts';
export { pushRelease, type PushOptions, type PushedArtifact } from './push.ts';
