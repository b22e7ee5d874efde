import { AGENT_CREDENTIALS_SECRET } from '@qhc/manifests';
import type { KubeClient, KubeObject } from '@qhc/kube';

const AGENT_TOKEN_KEY = 'agent-token';
const BOOTSTRAP_TOKEN_KEY = 'bootstrap-token';

type Secret = KubeObject & { data?: Record<string, string> };

/**
 * The agent's credential lives next to the bootstrap token in the installation's Secret, so
 * a restarted agent (a new pod) keeps it. A re-installation writes a new bootstrap token there.
 */
export class CredentialStore {
  private readonly client: KubeClient;
  private readonly ref: { apiVersion: string; kind: string; namespace: string; name: string };

  constructor(client: KubeClient, namespace: string, name = AGENT_CREDENTIALS_SECRET) {
    this.client = client;
    this.ref = { apiVersion: 'v1', kind: 'Secret', namespace, name };
  }

  async read(): Promise<{ agentToken?: string; bootstrapToken?: string }> {
    const secret = await this.client.get<Secret>(this.ref);
    const value = (key: string) => (secret?.data?.[key] ? Buffer.from(secret.data[key], 'base64').toString('utf8') : undefined);
    return { agentToken: value(AGENT_TOKEN_KEY), bootstrapToken: value(BOOTSTRAP_TOKEN_KEY) };
  }

  async saveAgentToken(token: string): Promise<void> {
    await this.client.patch(this.ref, { data: { [AGENT_TOKEN_KEY]: Buffer.from(token).toString('base64') } });
  }
}
