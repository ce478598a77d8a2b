import { describe, expect, it } from "vitest";
import { backoffSeconds } from "../../shared/queues";

describe("a retried message's delay", () => {
  const policy = { base: 2, max: 300 };

  it("grows exponentially with the receives, up to the maximum", () => {
    const highest = (receives: number) => backoffSeconds(receives, policy, () => 0.999999);
    expect([1, 2, 3, 8, 9, 20].map(highest)).toEqual([2, 4, 8, 256, 300, 300]);
  });

  it("is spread over the whole range (full jitter), never below a second", () => {
    expect(backoffSeconds(5, policy, () => 0)).toBe(1);
    expect(backoffSeconds(5, policy, () => 0.5)).toBe(16);
    const seen = new Set(Array.from({ length: 200 }, () => backoffSeconds(5, policy)));
    expect(seen.size).toBeGreaterThan(10);
    for (const seconds of seen) expect(seconds).toBeGreaterThanOrEqual(1), expect(seconds).toBeLessThanOrEqual(32);
  });
});
