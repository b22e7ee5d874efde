// What the people and account commands share: a message shown as a table of its proto JSON
// (-o json|yaml prints the JSON itself), an enum without its prefix, one item found by id or name.
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { viewOf, type Json } from '../cloud.ts';
import { CliError, EXIT } from '../exit.ts';
import { checkFormat, print, type Column } from '../output.ts';
import type { Global } from './region.ts';

export type Row = Json & { id?: string; name?: string; createdAt?: string };

/** The messages' proto JSON as rows, printed as a table (or as the JSON, or their names). */
export function showMessages<Desc extends DescMessage>(
  schema: Desc,
  messages: MessageShape<Desc> | MessageShape<Desc>[],
  table: { columns: Column<Row>[]; kind: string; name?: (r: Row) => string },
  g: Global,
): Promise<void> {
  const rowOf = (m: MessageShape<Desc>) => viewOf(schema, m, (json) => json as Row);
  const rows = Array.isArray(messages) ? messages.map(rowOf) : rowOf(messages);
  return print(rows, {
    format: checkFormat(g.output),
    noHeaders: g.noHeaders,
    columns: table.columns,
    name: table.name ?? ((r) => String(r.name ?? r.id)),
    kind: table.kind,
  });
}

/** An enum's proto JSON name without its prefix; a number (an enum value this qhc does not know) as it is. */
export const trimEnum = (value: unknown, prefix: string): string =>
  typeof value === 'string' ? value.replace(prefix, '') : value === undefined ? 'UNSPECIFIED' : String(value);

/** The item whose id is `ref`, else the one whose name is (exactly, then ignoring case); NotFound naming the list verb. */
export function findByRef<T>(items: T[], ref: string, keys: { id: (t: T) => string; names: (t: T) => string[] }, what: string, list: string): T {
  const lower = ref.toLowerCase();
  const found =
    items.find((i) => keys.id(i) === ref) ??
    items.find((i) => keys.names(i).includes(ref)) ??
    items.find((i) => keys.names(i).some((n) => n.toLowerCase() === lower));
  if (!found) throw new CliError(`${what} "${ref}" does not exist`, { code: EXIT.notFound, hint: `see \`${list}\`` });
  return found;
}
