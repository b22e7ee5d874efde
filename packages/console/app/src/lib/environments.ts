import { hybridV1 } from '@qhc/cloud-api';
import { accountId } from '../api.ts';
import { environmentsApi } from '../clients.ts';
import type { Environment } from '../types.ts';
import { enumName, environmentStatusView, type EnvironmentStatusView } from './status.ts';

/** Every environment of the session's account (the API answers them in one list). */
export const listEnvironments = async (): Promise<Environment[]> => (await environmentsApi.listHybridCloudEnvironments({ accountId: accountId() })).items;

export const getEnvironment = async (id: string): Promise<Environment> => {
  const env = (await environmentsApi.getHybridCloudEnvironment({ accountId: accountId(), hybridCloudEnvironmentId: id })).hybridCloudEnvironment;
  if (!env) throw new Error(`the control plane answered without environment ${id}`);
  return env;
};

export const environmentStatus = (env: Environment): EnvironmentStatusView =>
  environmentStatusView(env.status, (phase) => enumName(hybridV1.HybridCloudEnvironmentStatusPhaseSchema, phase));

/** Clusters of an environment are the hybrid cloud provider's, in the environment as its region. */
export const HYBRID_PROVIDER = 'hybrid';
