import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Suite names; empty means all. */
  suites: string[];
  runs: number;
  keep: boolean;
  help: boolean;
  /** Internal: run the one suite named and write its result to this file (see run.ts). */
  resultFile?: string;
}

export const DEFAULT_RUNS = 15;

export const USAGE = `Usage: npm run bench -- [--suite NAME[,NAME]] [--runs N] [--keep]

  --suite NAME  run only this suite (repeatable, or comma-separated); default: all
  --runs N      repetitions of each timed measurement (default ${DEFAULT_RUNS})
  --keep        keep the scratch directory (bundles, generated entries) for inspection
`;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: "string", multiple: true },
      runs: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      "result-file": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const suites = (values.suite ?? []).flatMap((value) => value.split(",")).map((name) => name.trim()).filter(Boolean);
  return { suites, runs: parseRuns(values.runs), keep: values.keep ?? false, help: values.help ?? false, resultFile: values["result-file"] };
}

function parseRuns(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RUNS;
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${value}"`);
  return runs;
}
