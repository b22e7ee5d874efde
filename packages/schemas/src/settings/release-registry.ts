// Where a qhc release publishes its images and chart: the default of every region's
// containerRegistryUrl and chartRepositoryUrl. `pnpm release` (scripts/release.sh) rewrites
// this file from QHC_RELEASE_REGISTRY / QHC_RELEASE_CHARTS before it builds, so the packages a
// release publishes name the registry that same release pushed to; a control plane's operator
// overrides it at run time (qhc-control-plane --default-registry). Not Qdrant's registry: it
// holds no qhc images (Qdrant's own database image keeps its settings' repository).
export const RELEASE_CONTAINER_REGISTRY_URL = 'https://ghcr.io/qhc-dev/';
export const RELEASE_CHART_REPOSITORY_URL = 'oci://ghcr.io/qhc-dev/charts';
