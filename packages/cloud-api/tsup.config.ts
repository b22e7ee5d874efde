import type { Options } from 'tsup';
import { library } from '@qhc/tsup-config';

// Declarations come from tsc (tsconfig.build.json), not tsup's bundler: bundled into one file, the
// namespaces (`clusterV1`, `qhcV1`, …) lost their enums' values (`clusterV1.ClusterServiceType.CLUSTER_IP`
// did not type-check) because each enum is a const and a type of the same name.
const config: Options = library({ dts: false });
export default config;
