import { createRequire } from 'node:module';

/**
 * This control plane's release (its package version): the agent and operator version a release
 * ships with. Read from package.json next to src/ and dist/ alike.
 */
export const RELEASE_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
