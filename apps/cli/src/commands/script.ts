import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type * as Undici from 'undici';
import { CliError } from '../exit.ts';

/** A text the control plane serves at `url` (an installation script), over HTTPS trusting `caFile` on top of the system's CAs. */
export async function scriptText(url: string, caFile: string | undefined): Promise<string> {
  // Bundled, undici is CommonJS: its exports may sit on `default`.
  const loaded = (await import('undici')) as typeof Undici & { default?: typeof Undici };
  const { Agent, fetch } = loaded.default ?? loaded;
  const dispatcher = new Agent({ connect: caFile ? { ca: [...rootCertificates, readFileSync(caFile, 'utf8')] } : {} });
  try {
    const res = await fetch(url, { dispatcher, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    if (!res.ok) throw new CliError(`GET ${new URL(url).pathname}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return text;
  } finally {
    await dispatcher.close();
  }
}
