import { describe, expect, it } from 'vitest';
import { safeParseOperatorSettings } from '@qhc/schemas';
import { describeProblem, problemsToDiagnostics } from '../app/src/lib/problems.ts';
import {
  compareVersions,
  environmentStatusView,
  formatAge,
  installExpiry,
  operatorSettingsCondition,
  phaseTone,
  upgradeAvailable,
} from '../app/src/lib/status.ts';
import { match } from '../app/src/router.tsx';
import { parseWarningHeader } from '../app/src/lib/warnings.ts';

describe('settings problems as editor diagnostics', () => {
  it('underlines from the reported column to the end of that line, and says the line in words', () => {
    const text = 'settings:\n  backOff:\n    minDelay: -1\n  nope: 1\n';
    const parsed = safeParseOperatorSettings(text);
    expect(parsed.success).toBe(false);
    const problems = parsed.success ? [] : [...parsed.error.problems];
    const diagnostics = problemsToDiagnostics(text, problems);
    const minDelay = diagnostics.find((d) => d.message.includes('minDelay'))!;
    expect(minDelay.line).toBe(3);
    expect(text.slice(minDelay.from, minDelay.to)).toBe('-1');
    expect(minDelay.message).toMatch(/^line 3, column 15: settings\.backOff\.minDelay: /);
    expect(diagnostics.some((d) => d.line === 4)).toBe(true);
    expect(problems.map(describeProblem).find((l) => l.includes('minDelay'))).toMatch(/^Line 3, column 15: settings\.backOff\.minDelay: /);
  });

  it('a syntax error and a problem without position stay inside the text', () => {
    const text = 'settings: [\n';
    const parsed = safeParseOperatorSettings(text);
    const diagnostics = problemsToDiagnostics(text, parsed.success ? [] : parsed.error.problems);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(d.from <= d.to && d.to <= text.length).toBe(true);
    expect(problemsToDiagnostics('', [{ path: [], code: 'document', message: 'empty' }])).toEqual([{ from: 0, to: 0, message: '(document): empty' }]);
  });
});

describe('status', () => {
  it('an environment is connected while the API reports it ready; a silent agent shows as disconnected', () => {
    const phases = ['UNSPECIFIED', 'READY', 'NOT_READY', 'FAILED_TO_SYNC'];
    const name = (n: number) => phases[n];
    expect(environmentStatusView(undefined, name)).toEqual({ value: undefined, label: 'Not connected yet' });
    const components = [
      { name: 'qhc-operator', version: '0.1.0' },
      { name: 'qhc-agent', version: '0.1.1' },
    ];
    expect(environmentStatusView({ phase: 1, componentStatuses: components }, name)).toEqual({
      value: 'Ready',
      label: 'Connected',
      operatorVersion: '0.1.0',
      agentVersion: '0.1.1',
    });
    expect(environmentStatusView({ phase: 2, message: 'no default StorageClass', componentStatuses: [] }, name)).toMatchObject({
      value: 'NotReady',
      label: 'Connected, not ready: no default StorageClass',
    });
    expect(environmentStatusView({ phase: 3, message: 'the agent last reported at 2026-12-01T05:50:00.000Z', componentStatuses: [] }, name).label).toBe(
      'Disconnected (the agent last reported at 2026-12-01T05:50:00.000Z)',
    );
    expect(environmentStatusView({ phase: 0, componentStatuses: [] }, name).label).toBe('Not connected yet');
  });
  it('finds the operator settings condition the agent reported, if any', () => {
    const refused = {
      type: 'OperatorSettingsValid',
      status: 'False',
      reason: 'InvalidSettings',
      message: 'settings.backOff.minDelay (line 3, column 15): …',
      lastTransitionTime: '2026-12-01T05:00:00Z',
    };
    expect(operatorSettingsCondition({ status: { phase: 'Ready', conditions: [{ type: 'Other', status: 'True' }, refused] } })).toEqual(refused);
    expect(operatorSettingsCondition({ status: { phase: 'Ready' } })).toBeUndefined();
    expect(operatorSettingsCondition({})).toBeUndefined();
  });
  it('versions, ages and phase tones', () => {
    expect([
      compareVersions('v1.2.10', '1.2.9') > 0,
      compareVersions('0.1.0', '0.1.0'),
      upgradeAvailable('0.1.0', '0.2.0'),
      upgradeAvailable('0.2.0-rc.1', '0.2.0'),
    ]).toEqual([true, 0, true, false]);
    expect([formatAge(3_000), formatAge(600_000), formatAge(3 * 3_600_000), formatAge(5 * 86_400_000)]).toEqual(['3s', '10m', '3h', '5d']);
    expect(installExpiry('2026-12-05T11:00:00.000Z', Date.parse('2026-12-04T11:00:00.000Z'))).toBe(
      'Its token expires at 2026-12-05 11:00 UTC (in 24h); after that, generate a new command.',
    );
    expect(['Healthy', 'Scaling', 'FailedToCreate', 'Suspended', undefined].map(phaseTone)).toEqual(['good', 'busy', 'bad', 'neutral', 'neutral']);
  });
});

describe('routes', () => {
  it('matches and decodes parameters', () => {
    expect(match('/clusters/:cluster', '/clusters/a%20b')).toEqual({ cluster: 'a b' });
    expect(match('/environments/:environment', '/environments/eu-1/clusters/x')).toBeUndefined();
  });
});

describe("the control plane's warnings", () => {
  it('reads every warning of a Warning header, quotes unescaped', () => {
    expect(parseWarningHeader(null)).toEqual([]);
    expect(parseWarningHeader('299 - "StorageClass \\"fast\\" does not allow volume expansion", 299 - "region eu has no VolumeSnapshotClass"')).toEqual([
      'StorageClass "fast" does not allow volume expansion',
      'region eu has no VolumeSnapshotClass',
    ]);
  });
});
