export interface BenchColumn {
  /** The row's property this column shows. */
  key: string;
  /** The header, with its unit: "peak RSS (MiB)". */
  header: string;
  /** A target the figure is held to, printed under the table: "≤ 150". */
  target?: string;
}

export type BenchRow = Record<string, string | number | boolean | null | undefined>;

export interface BenchTable {
  /** operator, agent, cli, qdrant, control-plane-agents…: one per bench script; names the JSON file too. */
  component: string;
  /** What one run measured, one line. */
  title: string;
  columns: BenchColumn[];
  rows: BenchRow[];
  /** Load average, machine, dialect: anything a reader needs to compare runs. */
  context?: Record<string, string | number>;
}

/** Renders a table as Markdown: every column every time, "—" where a row has no figure. */
export declare function renderBenchTable(table: BenchTable): string;

/**
 * Prints the table and writes it as JSON to `<dir>/bench-<component>.json` (default dir:
 * `$QHC_BENCH_DIR`, else `reports/bench` at the repository's root). Returns the file's path.
 */
export declare function writeBenchTable(table: BenchTable, options?: { dir?: string }): string;
