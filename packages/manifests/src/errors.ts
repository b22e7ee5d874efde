/**
 * A cluster and settings that cannot work together: the builder refuses instead of
 * producing a broken object. `path` names the field to change.
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}
