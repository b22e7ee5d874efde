import {
  API_KEY_MAX_LENGTH,
  ClusterSpecRequest,
  createParser,
  dns1123Label,
  MAX_CLUSTER_ID_LENGTH,
  Region,
  safeParseOperatorSettings,
  type QhcSchemaError,
} from '@qhc/schemas';
import * as z from 'zod';
import { ApiError } from '../errors.ts';
import { hasControlCharacters } from '../text.ts';
import type { RegistryCredentials } from '../repositories/rows.ts';
import { RESOURCE_KINDS, type ResourcePath } from '../resource-kinds.ts';

export { RESOURCE_KINDS, type ResourcePath } from '../resource-kinds.ts';

// Request bodies parsed at the HTTP boundary: the repositories get typed values only.

const invalid = (error: QhcSchemaError) => new ApiError(400, 'Invalid', error.message, error.problems);

/** Where regions pull from unless they say otherwise: the release's registry, or the operator's override. */
export interface RegionDefaults {
  containerRegistryUrl: string;
  chartRepositoryUrl: string;
}

const regionParser = createParser(Region, 'region');

/**
 * A region as the API takes it: `operatorSettings` may be the settings YAML itself (what users
 * paste), whose problems are reported at their line and column.
 */
function regionFields(input: unknown, defaults: RegionDefaults): Record<string, unknown> {
  const { registryCredentials: _credentials, ...body } = (input ?? {}) as {
    operatorSettings?: unknown;
    registryCredentials?: unknown;
    advanced?: Record<string, unknown>;
  };
  // The control plane's own defaults (its operator's --default-registry), before the schema's.
  const advanced = body.advanced && typeof body.advanced === 'object' ? body.advanced : {};
  const withDefaults = {
    ...body,
    advanced: { containerRegistryUrl: defaults.containerRegistryUrl, chartRepositoryUrl: defaults.chartRepositoryUrl, ...advanced },
  };
  if (typeof body.operatorSettings !== 'string') return withDefaults;
  const settings = safeParseOperatorSettings(body.operatorSettings, { source: 'operatorSettings' });
  if (!settings.success) throw invalid(settings.error);
  return { ...withDefaults, operatorSettings: settings.data };
}

// One line each: they end up in a dockerconfigjson and in the installation scripts' helm values.
const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !hasControlCharacters(v), 'must be one line without control characters');
export const RegistryCredentialsInput = z.strictObject({
  username: oneLine(256).min(1, 'username: the registry user name is required'),
  password: oneLine(4096),
});

/**
 * `registryCredentials` of a region body: write-only, kept out of the region's spec (which the
 * API returns). undefined: keep what is stored; null: remove them.
 */
function registryCredentialsInput(input: unknown): RegistryCredentials | null | undefined {
  const value = (input as { registryCredentials?: unknown } | undefined)?.registryCredentials;
  if (value === undefined || value === null) return value;
  const parsed = RegistryCredentialsInput.safeParse(value);
  if (!parsed.success)
    throw new ApiError(
      400,
      'Invalid',
      `registryCredentials: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')} (give { username, password }, or null to remove them)`,
    );
  return parsed.data;
}

export interface RegionInput {
  spec: Region;
  /** undefined: keep what is stored; null: remove them. */
  credentials: RegistryCredentials | null | undefined;
}

/** A region body; `name` (from the path, on an update) wins over the body's. */
export function parseRegionInput(input: unknown, defaults: RegionDefaults, name?: string): RegionInput {
  const fields = regionFields(input, defaults);
  const parsed = regionParser.safeValidate(name === undefined ? fields : { ...fields, name });
  if (!parsed.success) throw invalid(parsed.error);
  return { spec: parsed.data, credentials: registryCredentialsInput(input) };
}

const ClusterBody = z.strictObject({
  name: dns1123Label.max(MAX_CLUSTER_ID_LENGTH),
  spec: ClusterSpecRequest,
  apiKey: z.string().min(8).max(API_KEY_MAX_LENGTH).optional(),
  readOnlyApiKey: z.string().min(8).max(API_KEY_MAX_LENGTH).optional(),
});
const clusterParser = createParser(ClusterBody, 'cluster');
export type ClusterInput = z.output<typeof ClusterBody>;

/** A cluster body; `name` (from the path, on an update) wins over the body's. */
export function parseClusterInput(input: unknown, name?: string): ClusterInput {
  const parsed = clusterParser.safeValidate(name === undefined ? input : { ...(input as object), name });
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

export interface ResourceInput {
  name: string;
  clusterId: string;
  spec: Record<string, unknown>;
}

const resourceParsers = Object.fromEntries(
  Object.entries(RESOURCE_KINDS).map(([path, k]) => [
    path,
    createParser(z.strictObject({ name: dns1123Label, clusterId: dns1123Label.max(MAX_CLUSTER_ID_LENGTH), spec: k.spec }), k.kind),
  ]),
) as Record<ResourcePath, ReturnType<typeof createParser>>;

export function parseResourceInput(path: ResourcePath, input: unknown): ResourceInput {
  const parsed = resourceParsers[path].safeValidate(input);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data as ResourceInput;
}

/** A scale's body: a whole number of nodes. */
export function parseSize(size: unknown): number {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
    throw new ApiError(400, 'Invalid', `size must be a whole number of nodes, at least 1 (got ${JSON.stringify(size)})`);
  return size;
}
