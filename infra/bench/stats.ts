/** Summary statistics for timing samples. Medians, not means: one slow outlier (a GC, a noisy neighbour) should not move the figure. */

export interface Distribution {
  median: number;
  p90: number;
  min: number;
  max: number;
}

export function median(samples: readonly number[]): number {
  const sorted = sortedCopy(samples);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile: always one of the observed samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = sortedCopy(samples);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(samples: readonly number[]): Distribution {
  const sorted = sortedCopy(samples);
  return { median: median(sorted), p90: percentile(sorted, 90), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error("No samples");
  return [...samples].sort((a, b) => a - b);
}
