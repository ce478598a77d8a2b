/** Peak memory of this process while something runs: process.memoryUsage() sampled on an interval, over a baseline taken after a full GC. */

export interface MemoryFigures {
  /** heapUsed and rss just before the measured work, after a GC when --expose-gc is given. */
  baseline: { heapUsed: number; rss: number };
  peak: { heapUsed: number; rss: number };
  /** Peak heap over the baseline: what the work itself held at its high point, garbage not yet collected included. */
  heapGrowth: number;
  rssGrowth: number;
  /** Heap over the baseline once the work is over and a full GC has run: what the work left behind. */
  retainedAfterGc: number;
  /** The kernel's peak resident set size over the process's whole life (startup included). */
  maxRss: number;
  samples: number;
}

export function startMemorySampler(intervalMs: number): { stop(): MemoryFigures } {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage();
  const baseline = { heapUsed: start.heapUsed, rss: start.rss };
  const peak = { ...baseline };
  let samples = 0;
  const sample = () => {
    const now = process.memoryUsage();
    samples += 1;
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.rss = Math.max(peak.rss, now.rss);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      (globalThis as { gc?: () => void }).gc?.();
      return {
        retainedAfterGc: process.memoryUsage().heapUsed - baseline.heapUsed,
        baseline,
        peak,
        heapGrowth: peak.heapUsed - baseline.heapUsed,
        rssGrowth: peak.rss - baseline.rss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        samples,
      };
    },
  };
}
