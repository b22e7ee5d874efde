// The control plane's records as its API returns them: the same zod-derived types the control
// plane answers with (@qhc/schemas), so the two cannot drift apart.
export type { ClusterEvent, ClusterRecord, ClusterStatusReport, RegionRecord, ResourceRecord } from '@qhc/schemas';

export const LATEST_VERSION: string = import.meta.env.VITE_QHC_VERSION ?? '0.1.0';
