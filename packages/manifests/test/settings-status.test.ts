import { Condition } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { buildSettingsStatusConfigMap, readSettingsStatus, settingsCondition, type KubeObject } from '../src/index.ts';

type ConfigMap = KubeObject & { data: Record<string, string> };

const refused = {
  valid: false,
  message:
    'operator settings (/etc/qhc/settings/operator-settings.yaml) is invalid: 1 problem\n  - settings.backOff.minDelay (line 3, column 15): must not be greater than maxDelay (5), got 10',
  loadedHash: '0123456789abcdef',
  fileHash: 'fedcba9876543210',
  since: '2026-12-03T21:00:00Z',
};

describe('the operator settings status', () => {
  it('round-trips through its ConfigMap, one string key per field', () => {
    const cm = buildSettingsStatusConfigMap('qdrant', refused) as ConfigMap;
    expect(cm.metadata).toMatchObject({ name: 'qhc-operator-settings-status', namespace: 'qdrant' });
    expect(cm.data).toEqual({ valid: 'false', message: refused.message, loadedHash: refused.loadedHash, fileHash: refused.fileHash, since: refused.since });
    expect(readSettingsStatus(cm)).toEqual(refused);
    const valid = { valid: true, loadedHash: refused.fileHash, fileHash: refused.fileHash, since: '2026-12-03T21:05:00Z' };
    const validCm = buildSettingsStatusConfigMap('qdrant', valid) as ConfigMap;
    expect(validCm.data).not.toHaveProperty('message');
    expect(readSettingsStatus(validCm)).toEqual(valid);
  });

  it('reads nothing from an absent or foreign ConfigMap', () => {
    expect(readSettingsStatus(undefined)).toBeUndefined();
    expect(readSettingsStatus({ data: { valid: 'true' } })).toBeUndefined();
  });

  it('becomes a valid metav1.Condition: False with the field and line while refused, True once accepted', () => {
    const condition = settingsCondition(refused);
    expect(Condition.parse(condition)).toEqual(condition);
    expect(condition).toMatchObject({ type: 'OperatorSettingsValid', status: 'False', reason: 'InvalidSettings', lastTransitionTime: refused.since });
    expect(condition.message).toContain('settings.backOff.minDelay (line 3');
    expect(settingsCondition({ ...refused, valid: true, message: undefined })).toMatchObject({ status: 'True', reason: 'Loaded' });
  });
});
