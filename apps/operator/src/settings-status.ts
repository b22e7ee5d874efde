import { buildSettingsStatusConfigMap } from '@qhc/manifests';
import { systemClock, type Clock, type EventRecorder, type KubeClient, type KubeObject, type Logger } from '@qhc/kube';
import type { OperatorSettingsStatus } from '@qhc/schemas';

export interface SettingsStatusOptions {
  client: KubeClient;
  recorder: EventRecorder;
  logger: Logger;
  /** The operator's namespace: where its settings ConfigMap is and the status goes. */
  namespace: string;
  /** The mounted settings ConfigMap, which events are about. */
  configMapName: string;
  clock?: Clock;
  retryMs?: number;
}

/**
 * Makes the settings file's status visible while leading: the status ConfigMap the agent
 * reports as the region's `OperatorSettingsValid` condition, and events on the settings
 * ConfigMap (`InvalidSettings` naming the field and line; `SettingsReloaded`; `SettingsValid`
 * when a refused file is replaced by one that parses). Only the latest status is written;
 * a failed write is retried.
 */
export class SettingsStatusPublisher {
  private readonly options: SettingsStatusOptions & { clock: Clock; retryMs: number };
  private published: OperatorSettingsStatus | undefined;
  private pending: OperatorSettingsStatus | undefined;
  private running: Promise<void> | undefined;
  private retry: { cancel(): void } | undefined;
  private stopped = false;

  constructor(options: SettingsStatusOptions) {
    this.options = { clock: systemClock, retryMs: 5_000, ...options };
  }

  publish(status: OperatorSettingsStatus): void {
    if (this.stopped) return;
    this.pending = status;
    this.retry?.cancel();
    this.running ??= this.flush().finally(() => (this.running = undefined));
  }

  /** Resolves when nothing is waiting to be written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    await this.idle();
  }

  private async flush(): Promise<void> {
    while (this.pending && !this.stopped) {
      const next = this.pending;
      this.pending = undefined;
      try {
        await this.write(next, this.published);
        this.published = next;
      } catch (error) {
        const { namespace, configMapName: name } = this.options;
        this.options.logger.error('cannot publish the operator settings status; retrying', {
          namespace,
          name,
          error: error instanceof Error ? error.message : String(error),
        });
        this.pending ??= next;
        this.retry = this.options.clock.setTimeout(() => this.publish(this.pending ?? next), this.options.retryMs);
        return;
      }
    }
  }

  private async write(next: OperatorSettingsStatus, prev: OperatorSettingsStatus | undefined): Promise<void> {
    const { client, namespace } = this.options;
    await client.apply(buildSettingsStatusConfigMap(namespace, next) as KubeObject);
    const event = eventFor(next, prev);
    if (!event) return;
    const configMap = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: this.options.configMapName });
    // Run from a plain file (app_environment: local) there may be no ConfigMap to speak of.
    if (!configMap) return;
    this.options.recorder.record(configMap, { ...event, action: 'LoadSettings' });
  }
}

function eventFor(
  next: OperatorSettingsStatus,
  prev: OperatorSettingsStatus | undefined,
): { type: 'Normal' | 'Warning'; reason: string; note: string } | undefined {
  if (!next.valid) {
    if (prev && !prev.valid && prev.fileHash === next.fileHash) return undefined;
    return {
      type: 'Warning',
      reason: 'InvalidSettings',
      note: `settings not reloaded; the previous ones (${next.loadedHash}) stay in force. ${next.message ?? ''}`.trim(),
    };
  }
  if (!prev) return undefined;
  if (prev.loadedHash !== next.loadedHash)
    return { type: 'Normal', reason: 'SettingsReloaded', note: `settings ${next.loadedHash} in force; every cluster and backup is reconciled with them` };
  if (!prev.valid) return { type: 'Normal', reason: 'SettingsValid', note: `the settings file is valid again; settings ${next.loadedHash} stay in force` };
  return undefined;
}
