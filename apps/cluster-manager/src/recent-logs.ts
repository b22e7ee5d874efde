import { createLogger, type Logger } from '@qhc/kube';
import type { OperatorSettings } from '@qhc/schemas';

/**
 * The cluster manager's logger from the settings' clusterManager block: `debug` turns on
 * debug lines, `logSize` is how many recent lines GET /v1/logs keeps.
 */
export function settingsLogger(
  settings: OperatorSettings['settings']['clusterManager'] | undefined,
  write: (line: string) => void,
): { logger: Logger; recent: () => string[] } {
  const lines: string[] = [];
  const keep = settings?.logSize ?? 10;
  const logger = createLogger({
    level: settings?.debug ? 'debug' : 'info',
    component: 'qhc-cluster-manager',
    write: (line) => {
      write(line);
      lines.push(line);
      if (lines.length > keep) lines.shift();
    },
  });
  return { logger, recent: () => [...lines] };
}
