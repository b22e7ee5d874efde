import { fileURLToPath } from 'node:url';

/**
 * The directory of the console's built assets (index.html, assets/…), for a server to serve
 * as static files. Resolved next to this module, so it holds only where the package is
 * installed as built; a bundler that moves this code must be told the directory instead.
 */
export function consoleAssetsDir(): string {
  return fileURLToPath(new URL('./app/', import.meta.url));
}
