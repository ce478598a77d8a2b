/**
 * Measures how long a fresh Node process takes to import a bundle and exit:
 * the part of a Lambda cold start that the bundle controls. The whole process
 * is timed (Node's own start-up included), so the empty handler's time is the
 * floor and ratios against it show what the bundle adds.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

export interface LoadTarget {
  id: string;
  file: string;
}

export interface LoadOptions {
  runs: number;
  /** The child's whole environment: nothing is inherited, so results do not depend on the caller's shell. */
  env: Record<string, string>;
  onRound?: (round: number, runs: number) => void;
}

/**
 * Imports the bundle as the Lambda runtime does (a dynamic import of the
 * handler module), checks it exports a handler, and exits at once so that a
 * pending timer or socket cannot stretch the measurement.
 */
const LOADER = [
  "const module = await import(process.argv[1]);",
  'if (typeof module.handler !== "function") { console.error("the bundle exports no handler function"); process.exit(3); }',
  "process.exit(0);",
].join("\n");

export function loadOnce(target: LoadTarget, env: Record<string, string>): number {
  const started = performance.now();
  // The same Node binary as the bench itself, so the figures match the version in the header.
  const child = spawnSync(process.execPath, ["--input-type=module", "--eval", LOADER, pathToFileURL(target.file).href], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const elapsed = performance.now() - started;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    throw new Error(`Loading ${target.id} failed (exit ${child.status ?? child.signal}):\n${child.stderr.trim()}`);
  }
  return elapsed;
}

/**
 * Times every target `runs` times, round-robin (A B C, A B C, ...) rather
 * than all runs of A then all of B, so that a burst of machine noise is shared
 * by all targets instead of skewing one. Each round starts one target later
 * so no target always runs right after the same neighbour. One untimed round
 * first warms the file-system cache.
 */
export function measureLoadTimes(targets: LoadTarget[], options: LoadOptions): Map<string, number[]> {
  const samples = new Map<string, number[]>(targets.map((target) => [target.id, []]));
  for (const target of targets) loadOnce(target, options.env);
  for (let round = 0; round < options.runs; round++) {
    for (let offset = 0; offset < targets.length; offset++) {
      const target = targets[(round + offset) % targets.length]!;
      samples.get(target.id)!.push(loadOnce(target, options.env));
    }
    options.onRound?.(round + 1, options.runs);
  }
  return samples;
}
