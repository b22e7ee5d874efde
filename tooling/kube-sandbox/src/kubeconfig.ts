import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';

const base64 = (file: string) => readFileSync(file).toString('base64');

/** A self-contained kubeconfig (certificates embedded) for the sandbox admin. */
export function adminKubeconfig(options: { server: string; caFile: string; certFile: string; keyFile: string; name?: string }): string {
  const name = options.name ?? 'qhc-sandbox';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'certificate-authority-data': base64(options.caFile) } }],
    users: [{ name: `${name}-admin`, user: { 'client-certificate-data': base64(options.certFile), 'client-key-data': base64(options.keyFile) } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
  });
}
