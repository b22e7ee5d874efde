import { randomUUID } from 'node:crypto';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import type { hybridV1 } from '@qhc/cloud-api';
import { DEFAULT_CHART_REPOSITORY_URL, DEFAULT_CONTAINER_REGISTRY_URL, type Region } from '@qhc/schemas';
import manifest from '../../../package.json' with { type: 'json' };
import {
  deleteEnvironment,
  environmentById,
  insertEnvironment,
  listEnvironments,
  markBootstrapCommandsGenerated,
  updateEnvironment,
  type EnvironmentRecord,
} from '../../repositories/environments.ts';
import { registryCredentials } from '../../repositories/regions.ts';
import { installationProblem, issueInstallation } from '../../installation.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import type { SpecIdentity } from './configuration.ts';
import { configurationOf, encodeConfiguration, environmentOf } from './environment.ts';
import { idProblems, parseCreate, parseUpdate } from './request.ts';
import { invalidArgument, valueOf } from './problems.ts';

// qdrant.cloud.hybrid.v1.HybridCloudService over qhc's regions. The interceptor has checked the
// request's account is the caller's; a region of another account is answered as absent.

type Service = ServiceImpl<typeof hybridV1.HybridCloudService>;
type Ctx = Pick<HandlerContext, 'values'>;

const ENV = 'hybrid_cloud_environment';

/** The spec's DNS name (the region's id for new ones: the display name may change), versions and registry defaults. */
function identityOf(deps: CloudDeps, name: string, stored?: Partial<Region>): SpecIdentity {
  return {
    name,
    // A new region runs this release's agent and operator; an existing one keeps its own.
    agentVersion: stored?.agentVersion ?? manifest.version,
    operatorVersion: stored?.operatorVersion ?? manifest.version,
    containerRegistryUrl: deps.regionDefaults?.containerRegistryUrl ?? DEFAULT_CONTAINER_REGISTRY_URL,
    chartRepositoryUrl: deps.regionDefaults?.chartRepositoryUrl ?? DEFAULT_CHART_REPOSITORY_URL,
  };
}

const stampOf = (deps: CloudDeps) => new Date(deps.now()).toISOString();
const absent = (id: string) => new ConnectError(`hybrid cloud environment ${id} does not exist`, Code.NotFound);

async function found(deps: CloudDeps, ctx: Ctx, id: string, path: string): Promise<EnvironmentRecord> {
  const problems = idProblems(id, path);
  if (problems.length > 0) throw invalidArgument(problems);
  const record = await environmentById(deps.db, callerOf(ctx).accountId, id.toLowerCase());
  if (!record) throw absent(id);
  return record;
}

async function answer(deps: CloudDeps, ctx: Ctx, id: string) {
  return { hybridCloudEnvironment: environmentOf(await found(deps, ctx, id, `${ENV}.id`), deps.now()) };
}

function reads(deps: CloudDeps): Pick<Service, 'listHybridCloudEnvironments' | 'getHybridCloudEnvironment'> {
  return {
    async listHybridCloudEnvironments(_req, ctx) {
      const records = await listEnvironments(deps.db, callerOf(ctx).accountId);
      return { items: records.map((r) => environmentOf(r, deps.now())) };
    },
    async getHybridCloudEnvironment(req, ctx) {
      return { hybridCloudEnvironment: environmentOf(await found(deps, ctx, req.hybridCloudEnvironmentId, 'hybrid_cloud_environment_id'), deps.now()) };
    },
  };
}

function writes(deps: CloudDeps): Pick<Service, 'createHybridCloudEnvironment' | 'updateHybridCloudEnvironment' | 'deleteHybridCloudEnvironment'> {
  return {
    async createHybridCloudEnvironment(req, ctx) {
      const id = randomUUID();
      const input = valueOf(parseCreate(req.hybridCloudEnvironment, identityOf(deps, id)));
      const write = { name: input.name, spec: input.spec, configuration: encodeConfiguration(input.configuration) };
      await insertEnvironment(deps.db, id, callerOf(ctx).accountId, write, stampOf(deps));
      return answer(deps, ctx, id);
    },
    async updateHybridCloudEnvironment(req, ctx) {
      if (!req.hybridCloudEnvironment) throw invalidArgument([{ path: ENV, message: 'required' }]);
      const record = await found(deps, ctx, req.hybridCloudEnvironment.id, `${ENV}.id`);
      const { region } = record;
      const stored = { name: region.name, configuration: configurationOf(record), namespace: region.spec.namespace };
      const input = valueOf(parseUpdate(req, stored, identityOf(deps, region.spec.name, region.spec)));
      const write = { name: input.name, spec: input.spec, configuration: encodeConfiguration(input.configuration) };
      if (!(await updateEnvironment(deps.db, record.accountId, region.id, write, stampOf(deps)))) throw absent(region.id);
      return answer(deps, ctx, region.id);
    },
    async deleteHybridCloudEnvironment(req, ctx) {
      const record = await found(deps, ctx, req.hybridCloudEnvironmentId, 'hybrid_cloud_environment_id');
      if (!(await deleteEnvironment(deps.db, record.accountId, record.region.id))) throw absent(record.region.id);
      return {};
    },
  };
}

function bootstrap(deps: CloudDeps): Pick<Service, 'generateBootstrapCommands'> {
  return {
    async generateBootstrapCommands(req, ctx) {
      const { region } = await found(deps, ctx, req.hybridCloudEnvironmentId, 'hybrid_cloud_environment_id');
      const publicUrl = deps.publicUrl();
      // Checked before a token is issued: a refusal leaves the region's tokens as they were.
      const problem = installationProblem(region, publicUrl);
      if (problem) throw new ConnectError(problem, Code.FailedPrecondition);
      const issued = await deps.db.tx(async (tx) => {
        const installation = await issueInstallation(tx, { regionId: region.id, publicUrl, ttlSeconds: deps.bootstrapTokenTtlSeconds, now: deps.now });
        await markBootstrapCommandsGenerated(tx, region.id);
        return installation;
      });
      const registry = await registryCredentials(deps.db, region.id);
      return {
        commands: [issued.command],
        accessKey: issued.bootstrapToken,
        registryUsername: registry?.username ?? '',
        registryPassword: registry?.password ?? '',
      };
    },
  };
}

export function hybridCloudService(deps: CloudDeps): Service {
  return { ...reads(deps), ...writes(deps), ...bootstrap(deps) };
}
