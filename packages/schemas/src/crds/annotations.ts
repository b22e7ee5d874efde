// Annotations Qdrant's operator API defines; ours honours the same keys.

/** On a QdrantCluster: an RFC 3339 time; changing it restarts all pods (rolling, or at once). */
export const ANNOTATION_RESTARTED_AT = 'restartedAt';
/** On a QdrantCluster: an RFC 3339 time; restart through the recreate-node flow. */
export const ANNOTATION_ON_DEMAND_REPLICATION_RESTART = 'operator.qdrant.com/on-demand-replication-restart';
/** On a Pod: any non-empty text (shown in Events); recreate that node with a new volume. */
export const ANNOTATION_RECREATE_NODE = 'operator.qdrant.com/recreate-node';
/** On a QdrantCluster: reinitialise the cluster's consensus. Refused by the schema (a manual recovery step here). */
export const ANNOTATION_REINIT = 'operator.qdrant.com/reinit';
/** On a QdrantCluster: the node index to bootstrap from when the detected one is broken. */
export const ANNOTATION_BOOTSTRAP_NODE = 'operator.qdrant.com/bootstrap-node';
/** On any CR: the operator version expected to handle it. */
export const ANNOTATION_OPERATOR_VERSION = 'operator.qdrant.com/version';

// Ours.

/**
 * On a QdrantCluster: what happens to its volumes when it is deleted. `Retain` (the default)
 * keeps them; `Delete` removes them with the StatefulSet. Qdrant's API has no field for it.
 */
export const ANNOTATION_VOLUME_RETENTION = 'qhc.dev/volume-retention';
