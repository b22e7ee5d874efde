import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { parseOperatorSettings, type OperatorSettings } from '@qhc/schemas';
import type { Logger } from '@qhc/kube';

/**
 * The operator settings file: read at start-up (a bad file stops start-up with the schema
 * error), then watched; a changed file that parses replaces the settings, one that does
 * not is reported and the previous settings stay in force.
 */
export class SettingsFile {
  private current: OperatorSettings;
  private watcher: FSWatcher | undefined;
  private readonly path: string;
  private readonly logger: Logger;

  constructor(path: string, logger: Logger) {
    this.path = path;
    this.logger = logger;
    this.current = parseOperatorSettings(readFileSync(path, 'utf8'), { source: path });
  }

  get settings(): OperatorSettings {
    return this.current;
  }

  watch(onChange?: (settings: OperatorSettings) => void): void {
    // ConfigMap updates swap a symlink: watch the folder, not the file.
    this.watcher = watch(this.path, { persistent: false }, () => this.reload(onChange));
  }

  reload(onChange?: (settings: OperatorSettings) => void): boolean {
    try {
      const next = parseOperatorSettings(readFileSync(this.path, 'utf8'), { source: this.path });
      if (JSON.stringify(next) === JSON.stringify(this.current)) return false;
      this.current = next;
      this.logger.info('operator settings reloaded', { file: this.path });
      onChange?.(next);
      return true;
    } catch (error) {
      this.logger.error('operator settings not reloaded; the previous ones stay in force', { file: this.path, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  close(): void {
    this.watcher?.close();
  }
}
