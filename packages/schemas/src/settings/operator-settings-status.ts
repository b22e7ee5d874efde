import * as z from 'zod';
import { Timestamp } from '../k8s/meta.ts';

// What the operator says about its settings file, for the agent to report as region status:
// the operator does not know its region's name, the agent does. Written by the operator to
// a ConfigMap in its namespace (one key per field, so `kubectl get cm -o yaml` reads plainly).

export const OperatorSettingsStatus = z.strictObject({
  /** Whether the file on disk is the one in force; false: it was refused and the previous settings stay. */
  valid: z.boolean(),
  /** Why the file was refused: the schema error, naming each field and its line. */
  message: z.string().optional(),
  /** sha256 (first 16 hex digits) of the text of the settings in force. */
  loadedHash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'),
  /** sha256 (first 16 hex digits) of the file as last read; differs from loadedHash while it is refused. */
  fileHash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits'),
  /** When `valid` last changed. */
  since: Timestamp,
});
export type OperatorSettingsStatus = z.infer<typeof OperatorSettingsStatus>;

/** The region condition that carries it: True while the operator runs the file it was given. */
export const OPERATOR_SETTINGS_CONDITION = 'OperatorSettingsValid';
