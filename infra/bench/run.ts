/**
 * `npm run bench [-- --suite NAME] [--runs N] [--keep]`: runs the bench
 * suites, prints their tables, and writes bench-results/latest.json plus a
 * timestamped copy. Missed targets are reported but do not fail the command
 * (it is a report); a suite that crashes does.
 *
 * With several suites, each runs in a child process of its own: the shared
 * modules' AWS SDK clients fix their endpoint on first use, and every suite
 * starts its own emulators on new ports.
 */
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { USAGE, parseBenchArgs, type BenchOptions } from "./cli";
import { describeMachine, machineInfo } from "./machine";
import { selectSuites } from "./registry";
import { writeResults, type SuiteResult } from "./results";
import type { Suite, SuiteReport } from "./suite";
import { renderTable } from "./table";

const REPO_ROOT = resolve(import.meta.dirname, "../..");

async function main(): Promise<number> {
  let options: BenchOptions;
  let suites: Suite[];
  try {
    options = parseBenchArgs(process.argv.slice(2));
    suites = selectSuites(options.suites);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  if (options.resultFile !== undefined) {
    const scratch = await mkdtemp(join(tmpdir(), "ocean-bench-"));
    try {
      const result = await runSuite(suites[0]!, scratch, options, process.stdout.isTTY === true && !process.env.NO_COLOR);
      await writeFile(options.resultFile, JSON.stringify(result));
      return 0;
    } finally {
      if (!options.keep) await rm(scratch, { recursive: true, force: true });
    }
  }

  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  print(`Ocean Commerce Hub bench, ${startedAt}`);
  for (const line of describeMachine(machine)) print(line);
  print(`Suites: ${suites.map((suite) => suite.name).join(", ")}; runs: ${options.runs}`);

  const scratch = await mkdtemp(join(tmpdir(), "ocean-bench-"));
  const results: SuiteResult[] = [];
  try {
    for (const suite of suites) results.push(suites.length === 1 ? await runSuite(suite, scratch, options, color) : await runSuiteInChild(suite, scratch, options));
  } finally {
    if (options.keep) print(`\nScratch directory kept: ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }

  const written = await writeResults(REPO_ROOT, {
    startedAt,
    machine,
    options: { suites: suites.map((suite) => suite.name), runs: options.runs },
    suites: results,
  });
  const missed = results.reduce((total, result) => total + result.failures, 0);
  const crashed = results.filter((result) => result.error !== undefined);
  print(`\nResults: ${written.join(", ")}`);
  if (missed > 0) print(`${missed} target(s) missed; see FAIL above.`);
  return crashed.length > 0 ? 1 : 0;
}

async function runSuite(suite: Suite, scratch: string, options: BenchOptions, color: boolean): Promise<SuiteResult> {
  print(`\n== ${suite.name}: ${suite.description}`);
  const workDir = join(scratch, suite.name);
  await mkdir(workDir, { recursive: true });
  const started = performance.now();
  try {
    const report = await suite.run({
      repoRoot: REPO_ROOT,
      workDir,
      runs: options.runs,
      log: (message) => process.stderr.write(`[${suite.name}] ${message}\n`),
    });
    printReport(report, color);
    return { name: suite.name, durationMs: performance.now() - started, failures: report.failures, summary: report.summary, figures: report.figures };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`Suite ${suite.name} crashed:\n${message}\n`);
    return { name: suite.name, durationMs: performance.now() - started, failures: 0, summary: [], error: message };
  }
}

/** Runs one suite in a fresh process (same Node, same loader), its output passed through. */
async function runSuiteInChild(suite: Suite, scratch: string, options: BenchOptions): Promise<SuiteResult> {
  const resultFile = join(scratch, `${suite.name}.result.json`);
  const args = [...process.execArgv, process.argv[1]!, "--suite", suite.name, "--runs", String(options.runs), "--result-file", resultFile, ...(options.keep ? ["--keep"] : [])];
  const started = performance.now();
  const code = await new Promise<number | null>((done) => spawn(process.execPath, args, { stdio: "inherit" }).on("exit", done));
  try {
    return JSON.parse(await readFile(resultFile, "utf8")) as SuiteResult;
  } catch {
    const error = `the suite's process ended (code ${code}) without a result`;
    process.stderr.write(`Suite ${suite.name} crashed: ${error}\n`);
    return { name: suite.name, durationMs: performance.now() - started, failures: 0, summary: [], error };
  }
}

function printReport(report: SuiteReport, color: boolean): void {
  for (const table of report.tables) print(`\n${renderTable(table, { color })}`);
  if (report.notes?.length) print(`\n${report.notes.map((note) => `Note: ${note}`).join("\n")}`);
  print("");
  for (const line of report.summary) print(line.includes("FAIL") ? `!! ${line}` : `OK ${line}`);
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

process.exitCode = await main();
// A suite's child process is done once its result is written, whatever idle sockets the shared modules' SDK clients hold.
if (process.argv.includes("--result-file")) process.exit();
