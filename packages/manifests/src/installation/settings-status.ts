import { OPERATOR_SETTINGS_CONDITION, OperatorSettingsStatus, type Condition } from '@qhc/schemas';
import { normalize, type KubeObject } from '../object.ts';
import { OPERATOR_NAME, OPERATOR_SETTINGS_STATUS_CONFIGMAP } from './names.ts';

// The operator's word on its settings file, carried from the operator (which knows the file)
// to the agent (which knows the region) in a ConfigMap of their shared namespace. One key per
// field: plain to read with kubectl, and each value a string as ConfigMaps require.

/** The ConfigMap the operator applies with its own field manager; it owns every key. */
export function buildSettingsStatusConfigMap(namespace: string, status: OperatorSettingsStatus): KubeObject {
  const s = OperatorSettingsStatus.parse(status);
  return normalize({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: OPERATOR_SETTINGS_STATUS_CONFIGMAP,
      namespace,
      labels: { 'app.kubernetes.io/name': OPERATOR_NAME, 'app.kubernetes.io/part-of': 'qhc', 'app.kubernetes.io/managed-by': OPERATOR_NAME },
    },
    data: {
      valid: String(s.valid),
      // Absent once valid: server-side apply removes a key its manager no longer applies.
      message: s.message,
      loadedHash: s.loadedHash,
      fileHash: s.fileHash,
      since: s.since,
    },
  });
}

/** Reads it back; undefined when absent or not written by a known operator version. */
export function readSettingsStatus(configMap: { data?: Record<string, string> } | undefined): OperatorSettingsStatus | undefined {
  const data = configMap?.data;
  if (!data) return undefined;
  const parsed = OperatorSettingsStatus.safeParse({
    valid: data.valid === 'true',
    ...(data.message ? { message: data.message } : {}),
    loadedHash: data.loadedHash,
    fileHash: data.fileHash,
    since: data.since,
  });
  return parsed.success ? parsed.data : undefined;
}

/** The region condition: True while the operator runs the file it was given, False (with the error) while it refuses it. */
export function settingsCondition(status: OperatorSettingsStatus): Condition {
  return status.valid
    ? {
        type: OPERATOR_SETTINGS_CONDITION,
        status: 'True',
        reason: 'Loaded',
        message: `the operator runs the settings file it was given (${status.loadedHash})`,
        lastTransitionTime: status.since,
      }
    : {
        type: OPERATOR_SETTINGS_CONDITION,
        status: 'False',
        reason: 'InvalidSettings',
        message:
          `the operator refused its settings file and keeps the previous settings (${status.loadedHash}) in force: ${status.message ?? 'no reason given'}`.slice(
            0,
            32768,
          ),
        lastTransitionTime: status.since,
      };
}
