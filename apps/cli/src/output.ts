import type * as YamlNs from 'yaml';
import { answerOf } from './answers.ts';
import { CliError, EXIT } from './exit.ts';

type YamlModule = typeof YamlNs;

export const FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type Format = (typeof FORMATS)[number];

export interface Column<T> {
  header: string;
  value: (item: T) => string | number | undefined;
  /** Shown with -o wide only. */
  wide?: boolean;
}

export function checkFormat(value: string | undefined): Format {
  const format = (value ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new CliError(`unknown output format "${value}"`, { code: EXIT.usage, hint: `use one of ${FORMATS.join(', ')}` });
  return format;
}

/**
 * Prints objects the way kubectl does: aligned columns without borders for people; the API
 * objects themselves for scripts (json, yaml), or just their names.
 */
export async function print<T>(
  items: T | T[],
  options: { format: Format; noHeaders?: boolean; columns: Column<T>[]; name: (item: T) => string; kind: string },
): Promise<void> {
  const list = Array.isArray(items) ? items : [items];
  // Scripts get what the control plane sent, not this qhc's parse of it.
  const sent = Array.isArray(items) ? { items: items.map(answerOf) } : answerOf(items);
  if (options.format === 'json') return write(`${JSON.stringify(sent, null, 2)}\n`);
  if (options.format === 'yaml') {
    // Bundled, yaml is a CommonJS chunk whose namespace has only `default` once another command imports it statically.
    const yaml = (await import('yaml')) as YamlModule & { default?: YamlModule };
    const stringify = yaml.stringify ?? yaml.default!.stringify;
    return write(stringify(sent));
  }
  if (options.format === 'name') return write(list.map((i) => `${options.kind}/${options.name(i)}\n`).join(''));
  const columns = options.columns.filter((c) => options.format === 'wide' || !c.wide);
  const rows = list.map((item) => columns.map((c) => String(c.value(item) ?? '<none>')));
  const { default: Table } = await import('cli-table3');
  // cli-table3 without borders: kubectl's look, and columns that grow with their content.
  const table = new Table({
    head: options.noHeaders ? [] : columns.map((c) => c.header.toUpperCase()),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '   ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...rows);
  if (rows.length === 0 && options.format === 'table') {
    process.stderr.write(`No ${options.kind}s found.\n`);
    return;
  }
  write(
    `${table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')}\n`,
  );
}

function write(text: string): void {
  process.stdout.write(text);
}

/** "3m", "2h", "4d" since an RFC 3339 time, as kubectl's AGE column. */
export function age(since: string | undefined, now = Date.now()): string {
  if (!since) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}
