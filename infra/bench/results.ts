/**
 * Writes the run's results as JSON: bench-results/latest.json for tools and
 * diffs, and a timestamped copy so runs can be compared over time. The
 * directory is git-ignored; results are per machine, not part of the source.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MachineInfo } from "./machine";

export interface SuiteResult {
  name: string;
  durationMs: number;
  failures: number;
  summary: string[];
  figures?: unknown;
  /** Set when the suite itself crashed, as opposed to missing a target. */
  error?: string;
}

export interface BenchResults {
  startedAt: string;
  machine: MachineInfo;
  options: { suites: string[]; runs: number };
  suites: SuiteResult[];
}

export const RESULTS_DIR = "bench-results";

/** Returns the files written, relative to the repository root. */
export async function writeResults(repoRoot: string, results: BenchResults): Promise<string[]> {
  const dir = join(repoRoot, RESULTS_DIR);
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  // Colons are not allowed in file names everywhere; milliseconds add nothing.
  const stamp = results.startedAt.replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  const files = ["latest.json", `${stamp}.json`];
  await Promise.all(files.map((file) => writeFile(join(dir, file), json)));
  return files.map((file) => `${RESULTS_DIR}/${file}`);
}
