// Options several commands share; commander only, so main.ts loads nothing heavier at start.
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit.ts';

export const direct = (cmd: Command) =>
  cmd
    .option('--region <name>', 'the region (control-plane mode)')
    .option('--kubeconfig <file>', 'work on the cluster of this kubeconfig directly, without a control plane')
    .option('--kube-context <name>', 'the kubeconfig context (direct mode)')
    .option('-n, --namespace <ns>', "the namespace (direct mode; default: the kubeconfig context's)");

// Lists follow the API's pages to the end unless --limit stops them earlier.
export const limited = (cmd: Command) =>
  cmd.option('--limit <n>', 'list at most n items (default: all of them, fetched page after page)', (value: string) => {
    if (!/^[1-9]\d{0,8}$/.test(value)) throw new CliError(`--limit: a whole number of items, at least 1 (got "${value}")`, { code: EXIT.usage });
    return Number(value);
  });

export const waits = (cmd: Command) =>
  cmd
    .option('--wait', 'wait until the cluster is Healthy with the change applied')
    .option('--timeout <duration>', 'how long --wait waits (exit 4 after)', '10m');

/** Repeatable options: commander's collector. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
