import { defaultOperatorSettings, type OperatorSettings, type Region } from '@qhc/schemas';
import type { InstallationCredentials } from './build.ts';
import { ManifestError } from '../errors.ts';
import { clusterManagerImage, imageTagOf, registryPrefix } from './images.ts';
import { AGENT_NAME, CLUSTER_MANAGER_NAME, OPERATOR_NAME } from './names.ts';
import { installationHash } from './hash.ts';
import { stringify } from 'yaml';

/** The Helm chart of a release: the operator, agent and cluster manager of one region. */
export const CHART_NAME = 'qhc';
export const CONTROL_PLANE_IMAGE = 'qhc-control-plane';

/** One image or chart of a release, named relative to its registry (or chart repository) prefix. */
export interface ReleaseArtifact {
  kind: 'image' | 'chart';
  /** The repository under the prefix: `qhc-operator`, or `qhc` for the chart. */
  name: string;
  tag: string;
  /** What builds it: the workspace app of an image; the chart for the chart. */
  source: string;
}

/**
 * Everything a release publishes and a region may pull: the control plane, the images every
 * installation references (the cluster manager's name and tag come from the operator
 * settings, like the installation's), and the chart. What `qhc mirror` copies.
 */
export function releaseArtifacts(version: string, settings: OperatorSettings = defaultOperatorSettings()): ReleaseArtifact[] {
  const tag = imageTagOf(version);
  const manager = clusterManagerImage(settings, tag);
  return [
    { kind: 'image', name: OPERATOR_NAME, tag, source: OPERATOR_NAME },
    { kind: 'image', name: AGENT_NAME, tag, source: AGENT_NAME },
    { kind: 'image', name: manager.name, tag: manager.tag, source: CLUSTER_MANAGER_NAME },
    { kind: 'image', name: CONTROL_PLANE_IMAGE, tag, source: CONTROL_PLANE_IMAGE },
    { kind: 'chart', name: CHART_NAME, tag, source: CHART_NAME },
  ];
}

/** Where a region pulls the chart from: `oci://<chart repository>/qhc`. */
export function chartReference(region: Region): string {
  const url = region.advanced.chartRepositoryUrl.replace(/\/+$/, '');
  return `${url}/${CHART_NAME}`;
}

/**
 * The chart's values for a region: the region without its namespace, and the credentials, with
 * the control plane URL checked and written as the installation command writes it.
 */
export function chartValues(region: Region, credentials: InstallationCredentials): Record<string, unknown> {
  const { namespace: _namespace, ...rest } = region;
  let url: URL;
  try {
    url = new URL(credentials.controlPlaneUrl);
  } catch {
    throw new ManifestError('controlPlaneUrl', `is not a URL: ${JSON.stringify(credentials.controlPlaneUrl)}`);
  }
  if (url.protocol !== 'https:') throw new ManifestError('controlPlaneUrl', 'must be https: the agent only makes TLS connections');
  if (!credentials.bootstrapToken) throw new ManifestError('bootstrapToken', 'is required');
  // The chart stamps this on the agent's Deployment: the agent compares it with the desired state's.
  return { region: rest, credentials: { ...credentials, controlPlaneUrl: url.toString() }, installationHash: installationHash(region, credentials.registry) };
}

const LOGIN_HEREDOC = 'QHC_PASSWORD_END';

/**
 * `helm registry login` to the chart repository with the region's registry credentials, when
 * it has them and the chart lives on the registry's host (a mirror holds both): the password
 * on standard input from a quoted here-document, never on the command line.
 */
function registryLogin(region: Region, credentials: InstallationCredentials, chartHost: string, plainHttp: string): string[] {
  const registry = credentials.registry;
  const registryHost = registryPrefix(region.advanced.containerRegistryUrl).split('/')[0];
  if (!registry || !region.advanced.chartRepositoryUrl.startsWith('oci://') || chartHost !== registryHost) return [];
  if (registry.password.split('\n').includes(LOGIN_HEREDOC) || registry.password.includes('\n'))
    throw new ManifestError('registry.password', 'must be one line');
  return [
    `helm registry login ${shellWord(chartHost)}${plainHttp} --username ${shellWord(registry.username)} --password-stdin <<'${LOGIN_HEREDOC}'`,
    registry.password,
    LOGIN_HEREDOC,
  ];
}

/** A word for bash: single-quoted, so nothing in it is expanded. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

const HEREDOC = 'QHC_VALUES_END';

/**
 * The Helm way to install a region, equivalent to the installation script: the chart from the
 * region's chart repository at the operator's version, values (secrets included) on standard
 * input from a quoted here-document, never on the command line.
 */
export function renderHelmInstall(region: Region, credentials: InstallationCredentials): string {
  // YAML 1.1, as Helm reads it: a region named "n" or "on" must stay a string.
  const values = stringify(chartValues(region, credentials), { lineWidth: 0, version: '1.1' });
  if (values.split('\n').includes(HEREDOC)) throw new Error('the values contain the here-document delimiter');
  // An oci:// URL cannot say "plain HTTP"; a chart repository on the same host as an http://
  // container registry (a mirror on a private network) is taken to speak it too.
  const registryHost = registryPrefix(region.advanced.containerRegistryUrl).split('/')[0];
  const chartHost = registryPrefix(region.advanced.chartRepositoryUrl).split('/')[0];
  const plainHttp = region.advanced.containerRegistryUrl.startsWith('http://') && registryHost === chartHost ? ' --plain-http' : '';
  return [
    '#!/usr/bin/env bash',
    `# Installs qhc's operator and agent for the region ${region.name} into namespace ${region.namespace} with Helm.`,
    'set -euo pipefail',
    ...registryLogin(region, credentials, chartHost!, plainHttp),
    `helm upgrade --install qhc ${shellWord(chartReference(region))} --version ${shellWord(imageTagOf(region.operatorVersion))}${plainHttp} \\`,
    `  --namespace ${shellWord(region.namespace)} --create-namespace --wait --timeout 5m -f - <<'${HEREDOC}'`,
    `${values}${HEREDOC}`,
    `kubectl label namespace ${shellWord(region.namespace)} pod-security.kubernetes.io/enforce=baseline --overwrite`,
    '',
  ].join('\n');
}
