import * as z from 'zod';
import { NodeSelector, Toleration, dns1123Label } from '../k8s/index.ts';
import { createParser, type ParseOptions } from '../parse/create-parser.ts';
import { QhcSchemaError, withPosition, type Problem } from '../parse/problem.ts';
import { readSource } from '../parse/source.ts';
import { OperatorSettings } from './operator-settings.ts';
import { checkPemCertificates } from './pem.ts';
import { chartRepositoryUrl, proxyUrl, registryUrl } from './urls.ts';
import { RELEASE_CHART_REPOSITORY_URL, RELEASE_CONTAINER_REGISTRY_URL } from './release-registry.ts';

// A Hybrid Cloud region (the seed's "Hybrid Cloud environment"): a Kubernetes cluster
// attached to the control plane. All settings but the namespace can change later.

// The registry this release published to (see release-registry.ts), not Qdrant's.
export const DEFAULT_CONTAINER_REGISTRY_URL = RELEASE_CONTAINER_REGISTRY_URL;
export const DEFAULT_CHART_REPOSITORY_URL = RELEASE_CHART_REPOSITORY_URL;
/** Qdrant's own registry: where Qdrant's images (not qhc's) are published. */
export const QDRANT_CONTAINER_REGISTRY_URL = 'https://registry.cloud.qdrant.io/qdrant/';

export const ComponentLogLevel = z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']);

const semver = z
  .string()
  .regex(/^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'must be a version such as "1.4.2" or "v1.4.2"');

/** no_proxy entries as curl, Go and Node understand them: hosts, .domains, IPs, CIDRs, host:port, or "*". */
const noProxyEntry = z
  .string()
  .regex(
    /^(\*|\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?|\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9A-Fa-f:]+(\/\d{1,3})?)$/,
    'must be a host, .domain, IP address, CIDR or "*"',
  );

export const ProxySettings = z.strictObject({ httpProxy: proxyUrl.optional(), httpsProxy: proxyUrl.optional(), noProxy: z.array(noProxyEntry).default([]) });

const caCertificate = z.string().superRefine((text, ctx) => {
  const check = checkPemCertificates(text);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
});

export const RegionAdvancedSettings = z.strictObject({
  proxy: ProxySettings.optional(),
  containerRegistryUrl: registryUrl.default(DEFAULT_CONTAINER_REGISTRY_URL),
  chartRepositoryUrl: chartRepositoryUrl.default(DEFAULT_CHART_REPOSITORY_URL),
  caCertificate: caCertificate.optional(),
  logLevel: z.strictObject({ operator: ComponentLogLevel.default('INFO'), agent: ComponentLogLevel.default('INFO') }).prefault({}),
  // Where the operator and the agent run (the cluster manager's come from the operator settings' clusterManager).
  nodeSelector: NodeSelector.default({}),
  tolerations: z.array(Toleration).default([]),
});

export const Region = z
  .strictObject({
    name: dns1123Label,
    namespace: dns1123Label,
    agentVersion: semver,
    operatorVersion: semver,
    operatorSettings: OperatorSettings.prefault({}),
    advanced: RegionAdvancedSettings.prefault({}),
  })
  .meta({ title: 'qhc region', description: 'A Kubernetes cluster attached to the qhc control plane as a private region.' });

export type Region = z.infer<typeof Region>;
export type RegionInput = z.input<typeof Region>;

const parser = createParser(Region, 'region');
export const parseRegion = parser.parse;
export const safeParseRegion = parser.safeParse;
export const validateRegion = parser.validate;
export const safeValidateRegion = parser.safeValidate;

/** Problems with changing `stored` into `next`: today only the namespace is immutable. */
export function checkRegionUpdate(stored: Pick<Region, 'namespace'>, next: Pick<Region, 'namespace'>): Problem[] {
  if (stored.namespace === next.namespace) return [];
  return [
    {
      path: ['namespace'],
      code: 'immutable',
      message: `cannot change after the region is created (was ${JSON.stringify(stored.namespace)}, got ${JSON.stringify(next.namespace)})`,
    },
  ];
}

/** Parses an updated region and checks it against the stored one; throws QhcSchemaError. */
export function parseRegionUpdate(text: string, stored: Pick<Region, 'namespace'>, options: ParseOptions = {}): Region {
  const next = parseRegion(text, options);
  const problems = checkRegionUpdate(stored, next);
  if (problems.length === 0) return next;
  const read = readSource(text);
  const located = problems.map((p) => withPosition(p, read.ok ? read.document.locate(p.path) : undefined));
  throw new QhcSchemaError('region update', located, options.source);
}
