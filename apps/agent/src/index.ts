export { startAgent, type AgentOptions, type RunningAgent } from './agent.ts';
export {
  applyDesiredState,
  AGENT_APPLIED_HASH_ANNOTATION,
  DEFAULT_APPLY_CONCURRENCY,
  FIELD_MANAGER,
  ANNOTATION_REVISION,
  type ApplyResult,
  type DesiredStateApplyOptions,
} from './apply.ts';
export {
  ControlPlaneClient,
  InvalidDesiredState,
  Unauthorized,
  explain,
  parseDesiredState,
  type ControlPlaneOptions,
  type DesiredState,
  type StatusReport,
} from './control-plane.ts';
export { CredentialStore } from './credentials.ts';
export { collectStatus } from './status.ts';
export {
  applyInstallation,
  INSTALLER_APPLIED_HASH_ANNOTATION,
  type InstallationResult,
  type InstallationStatus,
  type InstallationOptions,
} from './installation.ts';
export { collectHealth, distributionOf } from './health.ts';
