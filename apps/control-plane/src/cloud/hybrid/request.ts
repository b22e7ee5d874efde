import { clone, create } from '@bufbuild/protobuf';
import { hybridV1 } from '@qhc/cloud-api';
import type { Region } from '@qhc/schemas';
import { isUuid } from '../auth.ts';
import { regionSpecOf, type SpecIdentity } from './configuration.ts';
import { at, type Checked, type FieldProblem } from './problems.ts';

// Requests → what the handlers write: the environment's name, its configuration as sent (server
// fields cleared) and the Region spec derived from it; or every problem, each naming its field.

type Environment = hybridV1.HybridCloudEnvironment;
type Configuration = hybridV1.HybridCloudEnvironmentConfiguration;
const ConfigurationSchema = hybridV1.HybridCloudEnvironmentConfigurationSchema;
const ENV = 'hybrid_cloud_environment';
const CONFIG = at(ENV, 'configuration');

export interface EnvironmentInput {
  name: string;
  configuration: Configuration;
  spec: Region;
}

const NAME = /^[a-zA-Z0-9-_]+$/;

export function nameProblems(name: string, path: string): FieldProblem[] {
  if (!name) return [{ path, message: 'required' }];
  if (name.length > 64) return [{ path, message: `must be at most 64 characters, got ${name.length}` }];
  return NAME.test(name) ? [] : [{ path, message: 'must hold only letters, digits, "-" and "_"' }];
}

export function idProblems(id: string, path: string): FieldProblem[] {
  return isUuid(id) ? [] : [{ path, message: `${JSON.stringify(id.slice(0, 64))} is not a UUID` }];
}

/** The configuration as stored: as sent, without the time the server stamps on it. */
function sentConfiguration(c: Configuration | undefined): Configuration {
  const copy = c ? clone(ConfigurationSchema, c) : create(ConfigurationSchema);
  copy.lastModifiedAt = undefined;
  return copy;
}

function inputOf(name: string, configuration: Configuration, identity: SpecIdentity, problems: FieldProblem[]): Checked<EnvironmentInput> {
  const spec = regionSpecOf(configuration, CONFIG, identity);
  if (!spec.ok) for (const p of spec.problems) problems.push(p);
  return problems.length > 0 || !spec.ok ? { ok: false, problems } : { ok: true, value: { name, configuration, spec: spec.value } };
}

export function parseCreate(env: Environment | undefined, identity: SpecIdentity): Checked<EnvironmentInput> {
  if (!env) return { ok: false, problems: [{ path: ENV, message: 'required' }] };
  const problems = nameProblems(env.name, at(ENV, 'name'));
  if (env.id) problems.push({ path: at(ENV, 'id'), message: 'must be empty: qhc assigns the id' });
  return inputOf(env.name, sentConfiguration(env.configuration), identity, problems);
}

/** Fields of the environment the server owns: a mask naming them is refused. */
const SERVER_OWNED = new Set(['account_id', 'id', 'created_at', 'last_modified_at', 'created_by_email', 'bootstrap_commands_generated', 'status']);

/** The stored name and configuration with the masked paths taken from the request. */
function masked(stored: { name: string; configuration: Configuration }, sent: Environment, paths: readonly string[], problems: FieldProblem[]) {
  let { name } = stored;
  let configuration = clone(ConfigurationSchema, stored.configuration);
  const from = sentConfiguration(sent.configuration);
  paths.forEach((path, i) => {
    const field = path.startsWith('configuration.') ? ConfigurationSchema.fields.find((f) => f.name === path.slice('configuration.'.length)) : undefined;
    if (path === 'name') name = sent.name;
    else if (path === 'configuration') configuration = from;
    else if (field && field.name !== 'last_modified_at')
      (configuration as unknown as Record<string, unknown>)[field.localName] = from[field.localName as keyof Configuration];
    else
      problems.push({
        path: at('update_mask.paths', i),
        message: SERVER_OWNED.has(path)
          ? `${path} is set by qhc, not by clients`
          : `${JSON.stringify(path)} is not a field of HybridCloudEnvironment qhc can update`,
      });
  });
  return { name, configuration };
}

/** Stored and next namespace must agree: the agent and operator cannot move. */
function namespaceProblems(stored: string, next: string): FieldProblem[] {
  if (!next || stored === next) return [];
  return [
    { path: at(CONFIG, 'namespace'), message: `cannot change after the environment is created (was ${JSON.stringify(stored)}, got ${JSON.stringify(next)})` },
  ];
}

/** The update: the whole name and configuration, or only the paths of `update_mask`. */
export function parseUpdate(
  req: hybridV1.UpdateHybridCloudEnvironmentRequest,
  stored: { name: string; configuration: Configuration; namespace: string },
  identity: SpecIdentity,
): Checked<EnvironmentInput> {
  const env = req.hybridCloudEnvironment!;
  const problems: FieldProblem[] = [];
  const paths = req.updateMask?.paths ?? [];
  const next = paths.length > 0 ? masked(stored, env, paths, problems) : { name: env.name, configuration: sentConfiguration(env.configuration) };
  problems.push(...nameProblems(next.name, at(ENV, 'name')), ...namespaceProblems(stored.namespace, next.configuration.namespace));
  return inputOf(next.name, next.configuration, identity, problems);
}
