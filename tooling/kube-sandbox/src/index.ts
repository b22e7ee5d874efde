export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.ts';
export { SandboxClient, KubeRequestError, objectPath, type Credentials } from './http.ts';
export { locateBinaries, BINARIES, type SandboxBinaries } from './binaries.ts';
export { ANNOTATION_DELAY_SECONDS, ANNOTATION_FAIL, startSandboxControllers, toBytes, type SandboxControllers } from './controllers.ts';
export { waitFor } from './wait.ts';
export { createLoopbackTls, type LoopbackTls } from './pki.ts';
export { freePorts } from './ports.ts';
export { startOciRegistry, type OciRegistry, type OciRegistryOptions } from './registry.ts';
export { kubeletWrite, clearVolume } from './atomic-writer.ts';
