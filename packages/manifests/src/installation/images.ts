import type { Region } from '@qhc/schemas';
import { AGENT_NAME, CLUSTER_MANAGER_NAME, OPERATOR_NAME } from './names.ts';

/** `https://registry.example.com/qdrant/` → `registry.example.com/qdrant`. */
export function registryPrefix(url: string): string {
  return url.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
}

/** `v1.2.3` → `1.2.3`: a release tags its images without the v a region may write. */
export function imageTagOf(version: string): string {
  return version.replace(/^v/, '');
}

/** The image name (last path segment) and tag of the cluster manager a region runs. */
export function clusterManagerImage(settings: Region['operatorSettings'], operatorVersion: string): { name: string; tag: string } {
  const image = settings.settings.clusterManager.image;
  // An empty tag is this release's own cluster manager, which moves with the operator.
  return { name: image.repository.split('/').at(-1)!, tag: image.tag || imageTagOf(operatorVersion) };
}

export type ComponentName = typeof OPERATOR_NAME | typeof AGENT_NAME | typeof CLUSTER_MANAGER_NAME;

/**
 * Every image a region's installation runs, all from the region's registry: what the
 * installation applies, what the agent upgrades to, and what `qhc mirror` must have copied.
 */
export function componentImages(region: Region): Record<ComponentName, string> {
  const registry = registryPrefix(region.advanced.containerRegistryUrl);
  const manager = clusterManagerImage(region.operatorSettings, region.operatorVersion);
  return {
    [OPERATOR_NAME]: `${registry}/${OPERATOR_NAME}:${imageTagOf(region.operatorVersion)}`,
    [AGENT_NAME]: `${registry}/${AGENT_NAME}:${imageTagOf(region.agentVersion)}`,
    [CLUSTER_MANAGER_NAME]: `${registry}/${manager.name}:${manager.tag}`,
  };
}
