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
 * The operator's V8 heap, sized to its container: a young generation of 4 MiB semi-spaces
 * instead of V8's 16 (apiserver responses are short-lived garbage: the operator's bench peaks
 * at less than half the RSS for a few more scavenges) and an old generation of half the
 * container's memory limit, so V8 collects before the kernel kills. A percentage, not a size:
 * Node reads the limit from the container's cgroup (v1 or v2) at start, so a limit raised or
 * lowered by a patch, a Helm value or a VPA moves the heap with it, with nothing to keep in
 * step by hand (the operator logs both figures when it starts, and warns when the heap can
 * outgrow the limit). The operator's image also runs node with --optimize-for-size (its
 * package.json's qhc.nodeFlags), which V8 lets set 1 MiB semi-spaces over the 4 here: the 4
 * holds where the operator runs outside its image.
 */
export const OPERATOR_NODE_OPTIONS = '--max-semi-space-size=4 --max-old-space-size-percentage=50';
export const CLUSTER_MANAGER_NAME = 'qhc-cluster-manager';
export const CLUSTER_MANAGER_PORT = 7333;
/** Where the operator says whether it runs the settings file it was given (written by the operator). */
export const OPERATOR_SETTINGS_STATUS_CONFIGMAP = 'qhc-operator-settings-status';
