import { readFileSync } from 'node:fs';
import { parseRegion } from '@qhc/schemas';

const pem = readFileSync(new URL('../../schemas/test/fixtures/test-ca.pem', import.meta.url), 'utf8');
export const TOKEN = 'qhcbt_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

export function region(namespace = 'qdrant-hybrid') {
  return parseRegion(
    JSON.stringify({
      name: 'prod-eu',
      namespace,
      agentVersion: '1.4.2',
      operatorVersion: '2.15.0',
      operatorSettings: { settings: { backOff: { minDelay: 2 } } },
      advanced: {
        proxy: { httpProxy: 'http://proxy.internal:3128', httpsProxy: 'http://proxy.internal:3128', noProxy: ['.internal'] },
        containerRegistryUrl: 'https://registry.example.com/qdrant/',
        caCertificate: pem,
        logLevel: { operator: 'DEBUG', agent: 'WARN' },
      },
    }),
  );
}

export const CREDENTIALS = { controlPlaneUrl: 'https://qhc.example.com', bootstrapToken: TOKEN, registry: { username: 'robot', password: 's3cret-pw' } };
