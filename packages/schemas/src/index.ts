// Kubernetes shapes, validated the way Kubernetes validates them.
export * from './k8s/index.ts';

// qdrant.io/v1 custom resources, their identities and the names every app agrees on.
export * from './crds/index.ts';
export * from './names.ts';
export * from './resource-parsers.ts';

// Configuration documents.
export * from './settings/operator-settings.ts';
export * from './settings/region.ts';
export * from './settings/operator-settings-status.ts';
export * from './settings/release-registry.ts';
export { checkPemCertificates, type PemCheck } from './settings/pem.ts';
export { chartRepositoryUrl, proxyUrl, registryUrl } from './settings/urls.ts';

// Parsing text into typed values, with every problem located.
export * from './parse/index.ts';

// Generated artifacts: CRDs and JSON Schemas.
export { buildCrd, crdSchemaOf } from './generate/crd.ts';
export { buildJsonSchema, JSON_SCHEMA_BASE_URL } from './generate/json-schema.ts';
export { checkStructural, toStructural } from './generate/structural.ts';
export { generateArtifacts, toYaml, type Artifact } from './generate/artifacts.ts';

// Protocols between qhc's components.
export * from './protocol/cluster-manager.ts';

// The control plane's API records and the agent's reports.
export * from './api/control-plane.ts';
export * from './api/agent-report.ts';
export * from './json/bounded-json.ts';
export * from './api/region-health.ts';
export * from './api/cluster-update.ts';
export * from './api/page.ts';
export * from './api/desired-state.ts';
export * from './api/region-status.ts';
export * from './api/packages.ts';
