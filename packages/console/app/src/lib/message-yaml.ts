import { fromJson, toJson, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import type { Problem } from '@qhc/schemas';
import { isMap, LineCounter, parseDocument, stringify } from 'yaml';

// A configuration message (an environment's HybridCloudEnvironmentConfiguration, a cluster's
// ClusterConfiguration) as the editor shows it: its proto JSON form written as YAML. The page
// checks the shape (field names, types, enum values) before the round trip; the server
// validates the values and names the field it refuses.

export type EnvironmentConfiguration = hybridV1.HybridCloudEnvironmentConfiguration;
const Schema = hybridV1.HybridCloudEnvironmentConfigurationSchema;

export const STARTER_CONFIGURATION = `# The environment's configuration: HybridCloudEnvironmentConfiguration in its JSON form.
# Other fields: httpProxyUrl, httpsProxyUrl, noProxyConfigs, containerRegistryUrl,
# chartRepositoryUrl, caCertificates, databaseStorageClass, volumeSnapshotStorageClass,
# ingress, egress, tolerations, nodeSelector, advancedOperatorSettings.
namespace: qdrant
logLevel: HYBRID_CLOUD_ENVIRONMENT_CONFIGURATION_LOG_LEVEL_INFO
`;

/** The message as YAML (fields left unset are left out, as the server echoes them). */
export const messageToYaml = <D extends DescMessage>(schema: D, message: MessageShape<D> | undefined): string =>
  message ? stringify(toJson(schema, message)) : '';

export const configurationToYaml = (configuration: EnvironmentConfiguration | undefined): string => messageToYaml(Schema, configuration);

const problem = (path: string[], message: string, at?: { line: number; col: number }): Problem => ({
  path,
  message,
  code: 'document',
  ...(at ? { line: at.line, column: at.col } : {}),
});

/** The text as a message, or what is wrong with it: each top-level field checked on its own, at its line. */
export function parseMessageYaml<D extends DescMessage>(schema: D, text: string): { message?: MessageShape<D>; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) return { problems: doc.errors.map((e) => problem([], e.message.split('\n')[0]!, e.linePos?.[0])) };
  if (doc.contents !== null && !isMap(doc.contents)) return { problems: [problem([], 'must be a map of the configuration fields', { line: 1, col: 1 })] };
  const problems: Problem[] = [];
  for (const pair of doc.contents?.items ?? []) {
    const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null;
    try {
      fromJson(schema, { [key]: value } as JsonValue);
    } catch (error) {
      const range = (pair.key as { range?: [number, number, number] } | null)?.range;
      problems.push(problem([key], shapeMessage(error), range ? lines.linePos(range[0]) : undefined));
    }
  }
  if (problems.length > 0) return { problems };
  return { message: fromJson(schema, (doc.toJSON() ?? {}) as JsonValue), problems };
}

export function parseConfiguration(text: string): { configuration?: EnvironmentConfiguration; problems: Problem[] } {
  const { message, problems } = parseMessageYaml(Schema, text);
  return { ...(message ? { configuration: message } : {}), problems };
}

/** protobuf-es's decoding error without the message type's full name. */
const shapeMessage = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .replace(/^cannot decode (field|message) [\w.]+ from JSON: /, '')
    .replace(/^key "[^"]+" is unknown$/, 'not a field of the configuration');
