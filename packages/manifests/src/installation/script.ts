import type { Region } from '@qhc/schemas';
import type { KubeObject } from '../object.ts';
import { toYaml } from '../yaml.ts';
import { AGENT_CREDENTIALS_SECRET, AGENT_NAME, CLUSTER_MANAGER_NAME, INSTALLER_FIELD_MANAGER, OPERATOR_NAME } from './names.ts';
import { renderPreflight } from './preflight-script.ts';

const HEREDOC = 'QHC_MANIFESTS_END';

function applyCommand(list: readonly KubeObject[]): string {
  return `kubectl apply --server-side --force-conflicts --field-manager=${INSTALLER_FIELD_MANAGER} -f - <<'${HEREDOC}'\n${toYaml(list)}${HEREDOC}`;
}

/** Where the agent will call: the control-plane URL in its credentials Secret, checked by the preflight. */
function controlPlaneUrlOf(objects: readonly KubeObject[]): string {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === AGENT_CREDENTIALS_SECRET) as
    | (KubeObject & { stringData?: Record<string, string> })
    | undefined;
  const url = secret?.stringData?.['control-plane-url'];
  if (!url) throw new Error(`the installation has no ${AGENT_CREDENTIALS_SECRET} Secret with the control-plane URL`);
  return url;
}

/**
 * The installation command as a bash script: checks the prerequisites first (preflight.ts;
 * a failure stops it before anything is applied, --skip-preflight or QHC_SKIP_PREFLIGHT=1
 * overrides), then applies the bundle with server-side apply
 * (re-running it is harmless), waits for the CRDs and the Deployments. Manifests, secrets
 * included, reach kubectl on standard input from a quoted here-document: never a command
 * line argument, never echoed, never expanded by the shell.
 */
export function renderInstallScript(region: Region, objects: readonly KubeObject[]): string {
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const rest = objects.filter((o) => o.kind !== 'CustomResourceDefinition' && o.kind !== 'Namespace');
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  for (const text of [toYaml(crds), toYaml(rest), toYaml(namespaces)]) {
    if (text.split('\n').includes(HEREDOC)) throw new Error('the manifests contain the here-document delimiter');
  }
  const ns = region.namespace;
  return [
    '#!/usr/bin/env bash',
    `# Installs qhc's operator and agent for the region "${region.name}" into namespace "${ns}".`,
    '# Safe to run again: every object is applied with server-side apply.',
    'set -euo pipefail',
    '',
    'qhc_skip_preflight=${QHC_SKIP_PREFLIGHT:-}',
    'for qhc_arg in "$@"; do',
    '  case $qhc_arg in',
    '    --skip-preflight) qhc_skip_preflight=1 ;;',
    '    *) echo "qhc: unknown option $qhc_arg (the only option is --skip-preflight)" >&2; exit 2 ;;',
    '  esac',
    'done',
    'command -v kubectl >/dev/null || { echo "kubectl is required" >&2; exit 1; }',
    'echo "qhc: installing into $(kubectl config current-context 2>/dev/null || echo "the current cluster")"',
    '',
    renderPreflight(region, controlPlaneUrlOf(objects)),
    'if [ -n "$qhc_skip_preflight" ]; then echo "qhc: preflight skipped (--skip-preflight)"; else qhc_preflight; fi',
    '',
    applyCommand(namespaces),
    applyCommand(crds),
    `kubectl wait --for=condition=Established --timeout=60s ${crds.map((c) => `crd/${c.metadata.name}`).join(' ')}`,
    applyCommand(rest),
    `kubectl -n ${ns} rollout status deployment/${OPERATOR_NAME} --timeout=300s`,
    `kubectl -n ${ns} rollout status deployment/${AGENT_NAME} --timeout=300s`,
    `kubectl -n ${ns} rollout status deployment/${CLUSTER_MANAGER_NAME} --timeout=300s`,
    `echo "qhc: region ${region.name} installed; the agent connects to the control plane on its own."`,
    '',
  ].join('\n');
}
