import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync, statSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseOperatorSettings, type OperatorSettings, type OperatorSettingsStatus } from '@qhc/schemas';
import { systemClock, type Clock, type Logger } from '@qhc/kube';

/** What one look at the file found. */
export type SettingsCheck =
  /** Nothing on disk moved since the last look (cheap: a stat, no read). */
  | 'unchanged'
  /** The file moved but its text is the same (e.g. the kubelet rewrote the volume for another key). */
  | 'same-text'
  /** New text that parses to the settings in force (a comment, or a revert after a refused file). */
  | 'same-settings'
  /** New settings, now in force. */
  | 'reloaded'
  /** New text refused: the previous settings stay. */
  | 'invalid';

export interface SettingsWatchOptions {
  /** New settings are in force. */
  onChange?: (settings: OperatorSettings) => void;
  /** The status changed: refused, accepted again, or new settings loaded. */
  onStatus?: (status: OperatorSettingsStatus) => void;
  /** After every look, with what it found: tests wait on this instead of sleeping. */
  onCheck?: (result: SettingsCheck) => void;
  /** Quiet time after the last folder event before looking (the kubelet's swap is several events). */
  debounceMs?: number;
  /** The periodic look that catches what the watcher missed, and re-arms a watcher whose folder went away. */
  pollMs?: number;
  clock?: Clock;
  /** false: no fs.watch at all, only the periodic look (how a test proves the fallback). */
  fsWatch?: boolean;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The operator settings file: read at start-up (a bad file stops start-up with the schema
 * error), then watched; a changed file that parses replaces the settings, one that does not
 * is reported and the previous settings stay in force.
 *
 * In a pod the file is a key of a mounted ConfigMap, which the kubelet's AtomicWriter lays out
 * as `<key> -> ..data/<key>` and `..data -> ..<timestamp>/`, and updates by writing a new
 * `..<timestamp>` directory, pointing a `..data_tmp` symlink at it, renaming that over `..data`
 * and removing the old directory. The file's own path never changes, so an inotify watch on it
 * sees nothing: the folder is watched instead, and any event in it leads (debounced) to a look
 * at the file. A look first compares a fingerprint (the target of `..data`, new at every swap;
 * the resolved file's inode, mtime and size, new at a plain rewrite) and reads only when it moved;
 * a periodic look does the same, for events the watcher missed.
 */
export class SettingsFile {
  private current: OperatorSettings;
  private currentStatus: OperatorSettingsStatus;
  private lastFileHash: string;
  private fingerprint: string;
  private watcher: { fs: FSWatcher; folder: string } | undefined;
  private debounce: { cancel(): void } | undefined;
  private poll: { cancel(): void } | undefined;
  private options: Required<Omit<SettingsWatchOptions, 'onChange' | 'onStatus' | 'onCheck'>> & SettingsWatchOptions = {
    debounceMs: 200,
    pollMs: 10_000,
    clock: systemClock,
    fsWatch: true,
  };
  private readonly path: string;
  private readonly logger: Logger;

  constructor(path: string, logger: Logger, clock: Clock = systemClock) {
    this.path = path;
    this.logger = logger;
    this.options.clock = clock;
    this.fingerprint = this.stat();
    const text = readFileSync(path, 'utf8');
    this.current = parseOperatorSettings(text, { source: path });
    this.lastFileHash = hash(text);
    this.currentStatus = { valid: true, loadedHash: this.lastFileHash, fileHash: this.lastFileHash, since: rfc3339(clock.now()) };
  }

  get settings(): OperatorSettings {
    return this.current;
  }

  /** Whether the file on disk is in force, and why not. */
  get status(): OperatorSettingsStatus {
    return this.currentStatus;
  }

  watch(options: SettingsWatchOptions = {}): void {
    // Only what was given: an explicit `clock: undefined` must not replace the clock.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...this.options, ...given };
    this.arm();
    const tick = () => {
      if (this.options.fsWatch && this.watcherStale()) this.arm();
      this.check();
      this.poll = this.options.clock.setTimeout(tick, this.options.pollMs);
    };
    this.poll = this.options.clock.setTimeout(tick, this.options.pollMs);
  }

  /** Reads the file now, whatever the fingerprint says; true when new settings came into force. */
  reload(): boolean {
    this.fingerprint = this.stat();
    return this.read() === 'reloaded';
  }

  /** A look: read only if the file moved on disk. */
  check(): SettingsCheck {
    const fingerprint = this.stat();
    const result = fingerprint === this.fingerprint ? 'unchanged' : this.read();
    this.fingerprint = fingerprint;
    this.options.onCheck?.(result);
    return result;
  }

  close(): void {
    this.watcher?.fs.close();
    this.watcher = undefined;
    this.debounce?.cancel();
    this.poll?.cancel();
  }

  private read(): SettingsCheck {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      return this.refuse(`cannot read ${this.path}: ${error instanceof Error ? error.message : String(error)}`, hash(''));
    }
    const fileHash = hash(text);
    if (fileHash === this.lastFileHash) return 'same-text';
    this.lastFileHash = fileHash;
    let next: OperatorSettings;
    try {
      next = parseOperatorSettings(text, { source: this.path });
    } catch (error) {
      return this.refuse(error instanceof Error ? error.message : String(error), fileHash);
    }
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    const wasValid = this.currentStatus.valid;
    this.setStatus({ valid: true, loadedHash: changed ? fileHash : this.currentStatus.loadedHash, fileHash });
    if (!changed) {
      if (!wasValid) this.logger.info('operator settings file accepted again; the settings in force did not change', { file: this.path });
      return 'same-settings';
    }
    this.current = next;
    this.logger.info('operator settings reloaded', { file: this.path, hash: fileHash });
    this.notify('onChange', () => this.options.onChange?.(next));
    return 'reloaded';
  }

  /**
   * Runs a consumer's callback; one that throws is logged and swallowed, since a throw would
   * escape the poll tick before it reschedules itself and stop reloading for good.
   */
  private notify(which: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.logger.error(`operator settings ${which} callback failed; watching continues`, {
        file: this.path,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private refuse(message: string, fileHash: string): SettingsCheck {
    this.lastFileHash = fileHash;
    this.logger.error('operator settings not reloaded; the previous ones stay in force', { file: this.path, error: message });
    this.setStatus({ valid: false, message, loadedHash: this.currentStatus.loadedHash, fileHash });
    return 'invalid';
  }

  private setStatus(next: Omit<OperatorSettingsStatus, 'since'>): void {
    const prev = this.currentStatus;
    const since = next.valid === prev.valid ? prev.since : rfc3339(this.options.clock.now());
    this.currentStatus = { ...next, since };
    if (JSON.stringify(this.currentStatus) !== JSON.stringify(prev)) this.notify('onStatus', () => this.options.onStatus?.(this.currentStatus));
  }

  /**
   * Where `..data` points (unique per kubelet swap: a random directory name), and the resolved
   * file's identity and version (a plain rewrite); a missing file is a fingerprint too.
   */
  private stat(): string {
    let data = '';
    try {
      data = readlinkSync(join(dirname(this.path), '..data'));
    } catch {
      // Not a ConfigMap volume: a plain file.
    }
    try {
      const s = statSync(this.path);
      return `${data}:${s.dev}:${s.ino}:${s.mtimeMs}:${s.size}`;
    } catch (error) {
      return `${data}:missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
    }
  }

  private folderIdentity(): string {
    try {
      const s = statSync(dirname(this.path));
      return `${s.dev}:${s.ino}`;
    } catch {
      return 'missing';
    }
  }

  /** Watches the folder, never the file: the kubelet swaps `..data`, the file's path stays. */
  private arm(): void {
    if (!this.options.fsWatch) return;
    this.watcher?.fs.close();
    this.watcher = undefined;
    try {
      const fs = watch(dirname(this.path), { persistent: false }, () => this.schedule());
      // A watcher whose folder was removed errors or goes quiet: the periodic look re-arms it.
      fs.on('error', () => {
        fs.close();
        if (this.watcher?.fs === fs) this.watcher = undefined;
      });
      this.watcher = { fs, folder: this.folderIdentity() };
    } catch (error) {
      this.logger.warn('cannot watch the settings folder; relying on the periodic check', {
        file: this.path,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private watcherStale(): boolean {
    return !this.watcher || this.watcher.folder !== this.folderIdentity();
  }

  private schedule(): void {
    this.debounce?.cancel();
    this.debounce = this.options.clock.setTimeout(() => {
      this.debounce = undefined;
      this.check();
    }, this.options.debounceMs);
  }
}
