import { readFileSync } from 'node:fs';
import { parsePackagesCatalogue, type ResourcePackage } from '@qhc/schemas';

/**
 * The operator's packages catalogue (--packages, QHC_PACKAGES), read at start: a file that does
 * not parse stops the control plane, naming each field by line and column, rather than serve a
 * catalogue missing the packages clusters and Terraform configurations name.
 */
export function readPackagesFile(path: string): readonly ResourcePackage[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--packages ${path}: cannot read it (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return parsePackagesCatalogue(text, { source: path });
}
