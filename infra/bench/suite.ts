/**
 * The contract between the bench runner and its suites. A suite measures one
 * thing, returns printable tables plus the raw figures, and never prints the
 * report itself: the runner owns the output so that every suite looks alike
 * on the terminal and in bench-results/*.json.
 */

/** Marks a cell as meeting or missing a target, so the printer can make failures stand out. */
export type Tone = "pass" | "fail";

export type Cell = string | { text: string; tone: Tone };

export interface Column {
  header: string;
  /** Numbers read best right-aligned; the default is left. */
  align?: "left" | "right";
}

export interface Table {
  title: string;
  columns: Column[];
  rows: Cell[][];
}

export interface SuiteContext {
  /** The repository root: entries in the wiring and node_modules resolve from here. */
  repoRoot: string;
  /** A fresh scratch directory for this suite; removed after the run unless --keep is given. */
  workDir: string;
  /** Repetitions for timed measurements (--runs). */
  runs: number;
  /** Progress messages; they go to stderr so stdout holds only the report. */
  log(message: string): void;
}

export interface SuiteReport {
  tables: Table[];
  /** One line per target or headline figure, printed after the tables. */
  summary: string[];
  /** Definitions and caveats a reader needs to interpret the tables. */
  notes?: string[];
  /** Targets missed; the runner totals them but still exits 0, since the bench is a report. */
  failures: number;
  /** The raw, unformatted numbers, written to the JSON results. */
  figures: unknown;
}

export interface Suite {
  name: string;
  description: string;
  run(context: SuiteContext): Promise<SuiteReport>;
}
