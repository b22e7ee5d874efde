/** Names of the objects a region's installation creates, shared by the agent, CLI and tests. */
export const OPERATOR_NAME = 'qhc-operator';
export const AGENT_NAME = 'qhc-agent';
export const OPERATOR_SETTINGS_CONFIGMAP = 'qhc-operator-settings';
export const OPERATOR_SETTINGS_KEY = 'operator-settings.yaml';
export const CA_BUNDLE_CONFIGMAP = 'qhc-ca-bundle';
export const REGISTRY_SECRET = 'qhc-registry-creds';
export const AGENT_CREDENTIALS_SECRET = 'qhc-agent-credentials';
export const INSTALLER_FIELD_MANAGER = 'qhc-installer';
export const OPERATOR_METRICS_PORT = 9290;
export const OPERATOR_HEALTH_PORT = 8285;
/**
 * The operator's V8 heap, sized to its container (memory limit 512Mi): a young generation of
 * 4 MiB semi-spaces instead of V8's 16 (apiserver responses are short-lived garbage: the
 * operator's bench peaks at less than half the RSS for a few more scavenges) and an old
 * generation capped at half the limit, so V8 collects before the kernel kills.
 */
export const OPERATOR_NODE_OPTIONS = '--max-semi-space-size=4 --max-old-space-size=256';
export const CLUSTER_MANAGER_NAME = 'qhc-cluster-manager';
export const CLUSTER_MANAGER_PORT = 7333;
/** Where the operator says whether it runs the settings file it was given (written by the operator). */
export const OPERATOR_SETTINGS_STATUS_CONFIGMAP = 'qhc-operator-settings-status';
