import type * as ClientNodeModule from '@kubernetes/client-node';
import type { Dispatcher } from 'undici';
import type { KubeConfig } from './kubeconfig.ts';

// Credentials from a kubeconfig plugin (exec: aws eks get-token, gke-gcloud-auth-plugin, kubelogin;
// or an auth-provider) are client-node's job: it runs and caches them. client-node is imported
// here only, when such a kubeconfig is loaded, so a controller with a service account or a
// client certificate never loads it (see ./kubeconfig.ts).

type ClientNode = typeof ClientNodeModule;
type ClientNodeConfig = InstanceType<ClientNode['KubeConfig']>;

const loaded = new WeakMap<KubeConfig, Promise<{ lib: ClientNode; config: ClientNodeConfig }>>();

function clientNodeConfig(kc: KubeConfig): Promise<{ lib: ClientNode; config: ClientNodeConfig }> {
  let entry = loaded.get(kc);
  if (!entry) {
    entry = import('@kubernetes/client-node').then((lib) => {
      const config = new lib.KubeConfig();
      config.loadFromString(kc.source ?? '');
      config.setCurrentContext(kc.getCurrentContext());
      return { lib, config };
    });
    loaded.set(kc, entry);
  }
  return entry;
}

/**
 * Headers and a dispatcher for one request, from client-node. Its dispatcher is built for this
 * request with whatever TLS material the plugin returned (a client certificate may rotate with
 * each call), so it is used once and closed when the request is done: a TLS handshake per
 * request, acceptable for the people and tools that use plugins (the CLI), not for controllers.
 */
export async function pluginCredentials(kc: KubeConfig, url: URL, method: string): Promise<{ headers: Record<string, string>; dispatcher?: Dispatcher }> {
  const { lib, config } = await clientNodeConfig(kc);
  const methods = lib.HttpMethod as unknown as Record<string, (typeof lib.HttpMethod)[keyof typeof lib.HttpMethod]>;
  const ctx = new lib.RequestContext(url.toString(), methods[method] ?? lib.HttpMethod.GET);
  await config.applySecurityAuthentication(ctx);
  return { headers: ctx.getHeaders(), dispatcher: ctx.getDispatcher() as Dispatcher | undefined };
}
