/// <reference types="vite/client" />
interface ImportMetaEnv {
  readonly VITE_QHC_VERSION?: string;
}
