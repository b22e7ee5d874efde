import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  PREFLIGHT_CHECKS,
  buildInstallation,
  evaluatePreflight,
  formatPreflightLine,
  preflightResult,
  renderInstallScript,
  renderPreflight,
  type PreflightFacts,
} from '../src/index.ts';
import { CREDENTIALS, region } from './installation-fixtures.ts';

// The check list is defined once and rendered twice: as bash functions in the script and
// as evaluatePreflight in TypeScript. These tests hold the two to the same words; the
// sandbox test (apps/cli/test/preflight.test.ts) runs both against a real apiserver.

const targets = { storageClass: '', snapshotClass: 'csi-snapclass', controlPlaneUrl: 'https://qhc.example.com' };
const everything: PreflightFacts = {
  cluster: { reached: true, server: 'https://k8s.example.com:6443', version: 'v1.31.4-eks-2f4a1b' },
  missingRights: [],
  storageClasses: { items: [{ name: 'gp3', default: true, allowVolumeExpansion: true }] },
  snapshots: { served: true, classes: [{ name: 'csi-snapclass', default: false }] },
  controlPlane: { answered: true },
};

/** Runs one outcome's bash function with these shell variables; its output line. */
function bashLine(id: string, outcome: string, vars: Record<string, string>): string {
  const fns = renderPreflight(region(), 'https://qhc.example.com');
  const assignments = Object.entries(vars)
    .map(([k, v]) => `qhc_${k}=${`'${v.replaceAll("'", "'\\''")}'`}`)
    .join('\n');
  return execFileSync('bash', ['-c', `set -euo pipefail\n${fns}\n${assignments}\nqhc_pf_${id.replaceAll('-', '_')}_${outcome}`], {
    encoding: 'utf8',
  }).trimEnd();
}

describe('the preflight checks: one list, rendered in bash and TypeScript', () => {
  it('every check has a fix, a severity and at least an ok finding', () => {
    expect(PREFLIGHT_CHECKS.map((c) => c.id)).toEqual([
      'cluster-reachable',
      'kubernetes-version',
      'cluster-scope-rights',
      'storage-class',
      'volume-expansion',
      'volume-snapshots',
      'control-plane',
    ]);
    for (const check of PREFLIGHT_CHECKS) {
      expect(check.fix.length, check.id).toBeGreaterThan(20);
      expect(
        Object.values(check.findings).some((f) => f.status === 'ok'),
        check.id,
      ).toBe(true);
      // A check's findings never fail harder than its severity says.
      if (check.severity === 'warn')
        expect(
          Object.values(check.findings as Record<string, { status: string }>).every((f) => f.status !== 'fail'),
          check.id,
        ).toBe(true);
    }
  });

  it('bash prints exactly what TypeScript formats, for every outcome, and expands nothing it is given', () => {
    const vars = {
      server: 'https://k8s:6443',
      error: 'x "$(touch /tmp/pwned)" `id` \\ $HOME',
      version: 'v1.26.0',
      minimum: '27',
      missing: 'create namespaces',
      storageClass: 'gp3',
      source: 'the default',
      snapshotClass: 'snap',
      url: 'https://qhc.example.com/healthz',
    };
    for (const check of PREFLIGHT_CHECKS) {
      for (const outcome of Object.keys(check.findings)) {
        const expected = formatPreflightLine(preflightResult(check.id, outcome as never, vars));
        expect(bashLine(check.id, outcome, vars), `${check.id}/${outcome}`).toBe(expected);
      }
    }
  });
});

describe('the preflight checks: evaluation and the install script', () => {
  it('evaluates facts into the same lines the script prints', () => {
    expect(evaluatePreflight(everything, targets).map((r) => `${r.status} ${r.id}`)).toEqual([
      'ok cluster-reachable',
      'ok kubernetes-version',
      'ok cluster-scope-rights',
      'ok storage-class',
      'ok volume-expansion',
      'ok volume-snapshots',
      'ok control-plane',
    ]);
    const old = evaluatePreflight({ ...everything, cluster: { reached: true, server: 's', version: 'v1.26.9' } }, targets);
    expect(formatPreflightLine(old[1]!)).toBe(
      'FAIL kubernetes-version: Kubernetes v1.26.9 is older than 1.27, the oldest supported version. Fix: upgrade the cluster to Kubernetes 1.27 or newer (older versions drop the StatefulSet volume retention policy qhc relies on)',
    );
    const named = evaluatePreflight({ ...everything, snapshots: { served: true, classes: [] } }, { ...targets, storageClass: 'io2' });
    expect(named.filter((r) => r.status !== 'ok').map((r) => r.finding)).toEqual([
      'StorageClass "io2", named at settings.storage.default_storage_class_names.db, does not exist',
      'VolumeSnapshotClass "csi-snapclass", named at settings.storage.snapshot_class, does not exist: backups will fail',
    ]);
    const unreachable = evaluatePreflight(
      { ...everything, cluster: { reached: false, error: 'connection refused' }, controlPlane: { answered: false, error: 'timeout' } },
      targets,
    );
    expect(unreachable.map((r) => `${r.status} ${r.id}`)).toEqual(['fail cluster-reachable', 'fail control-plane']);
  });

  it('the script checks before it applies anything, and --skip-preflight (or QHC_SKIP_PREFLIGHT=1) skips the checks', () => {
    const script = renderInstallScript(region(), buildInstallation(region(), CREDENTIALS)).split('\n');
    const gate = script.indexOf('if [ -n "$qhc_skip_preflight" ]; then echo "qhc: preflight skipped (--skip-preflight)"; else qhc_preflight; fi');
    expect(gate).toBeGreaterThan(0);
    expect(script.findIndex((l) => l.startsWith('kubectl apply'))).toBeGreaterThan(gate);
    expect(script).toContain('qhc_skip_preflight=${QHC_SKIP_PREFLIGHT:-}');
    // The region's proxy and CA are what curl uses to call the control plane.
    expect(script).toContain('  qhc_curl+=(--proxy http://proxy.internal:3128)');
    expect(script).toContain('  qhc_curl+=(--noproxy .internal)');
    expect(script).toContain('  qhc_url=https://qhc.example.com/healthz');
  });
});
