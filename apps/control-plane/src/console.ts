import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

// The web console's static files: the built single-page app of @qhc/console. Everything that
// is not the API, the agent's endpoint, an installation script or a sign-in route is the console; a path
// without a file is one of the app's routes and gets index.html.

const API_PREFIXES = ['/api/', '/agent/', '/install/', '/auth/'];
// /openapi.json was /api/v1's document: it answers 404 (the Cloud API's is /api/openapi.json), not the app's page.
const API_PATHS = new Set(['/openapi.json', '/healthz']);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
// Not HTML: index.html gets a fresh CSP nonce on every response.
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

/**
 * No inline script may run: an injected `<img onerror>` or `<script>` in a name that slipped
 * through would still do nothing. Styles come from 'self', plus `<style>` elements carrying
 * this response's nonce: the YAML editor (CodeMirror) writes its theme into one, and reads the
 * nonce from index.html's `<meta name="csp-nonce">`. `connect-src 'self'` keeps the app talking
 * to this control plane only.
 */
export const consoleCsp = (styleNonce?: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

const NONCE_META = /<meta name="csp-nonce" content="[^"]*"\s*\/?>/;

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': consoleCsp(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

interface CachedFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
}

export interface ConsoleFiles {
  readonly dir: string;
  /** True when it answered (a console path); false leaves the request to the API. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
}

/** The file at `path`, read once and kept; only files that exist are kept: misses would let any client grow the map. */
function readCached(cache: Map<string, CachedFile>, path: string): CachedFile | null {
  const cached = cache.get(path);
  if (cached) return cached;
  let file: CachedFile | null = null;
  try {
    if (statSync(path).isFile()) {
      const body = readFileSync(path);
      const ext = extname(path);
      const gzip = COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : undefined;
      file = { body, type: TYPES[ext] ?? 'application/octet-stream', ...(gzip ? { gzip } : {}) };
    }
  } catch {
    file = null;
  }
  if (file) cache.set(path, file);
  return file;
}

/** Serves `dir` (which must hold index.html); files are read once and kept, gzipped when that pays. */
export function consoleFiles(dir: string): ConsoleFiles {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`the console's assets are not at ${root} (no index.html): build @qhc/console, or point QHC_CONSOLE_DIR at them`);
  const cache = new Map<string, CachedFile>();
  const load = (path: string) => readCached(cache, path);

  return {
    dir: root,
    serve(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (API_PATHS.has(url.pathname) || API_PREFIXES.some((p) => url.pathname.startsWith(p))) return false;
      const headers: Record<string, string> = { ...SECURITY_HEADERS };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res
          .writeHead(405, { ...headers, allow: 'GET, HEAD', 'content-type': 'application/json' })
          .end(
            JSON.stringify({ error: 'MethodNotAllowed', message: `${req.method} is not allowed on ${url.pathname}; the console's files are read with GET` }),
          );
        return true;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        res
          .writeHead(400, { ...headers, 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'Invalid', message: 'the path is not valid percent-encoding' }));
        return true;
      }
      const candidate = resolve(root, `.${pathname}`);
      const inside = candidate === root || candidate.startsWith(root + sep);
      let file = inside && !pathname.includes('\0') ? load(candidate) : null;
      const hashed = pathname.startsWith('/assets/');
      if (!file) {
        // A missing asset is a 404 (a stale page asking for an old bundle must notice), and so
        // is a file-like path; anything else is a route of the app.
        if (hashed || extname(pathname) !== '') {
          res
            .writeHead(404, { ...headers, 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'NotFound', message: `no such file: ${url.pathname}` }));
          return true;
        }
        file = load(join(root, 'index.html'))!;
      }
      // Hashed names change with their content: cache for ever. index.html must be revalidated
      // so a new release's bundles are picked up.
      headers['cache-control'] = hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
      headers['content-type'] = file.type;
      headers.vary = 'accept-encoding';
      const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      let body = gzip ? file.gzip! : file.body;
      if (file.type.startsWith('text/html') && !gzip && NONCE_META.test(file.body.toString('utf8'))) {
        // A fresh nonce per page load: one seen in an old page is worth nothing.
        const nonce = randomBytes(16).toString('base64');
        body = Buffer.from(file.body.toString('utf8').replace(NONCE_META, `<meta name="csp-nonce" content="${nonce}" />`));
        headers['content-security-policy'] = consoleCsp(nonce);
      }
      if (gzip) headers['content-encoding'] = 'gzip';
      headers['content-length'] = String(body.length);
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}
