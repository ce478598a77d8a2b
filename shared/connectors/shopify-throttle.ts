/**
 * Shopify's leaky bucket as last reported (extensions.cost.throttleStatus),
 * refilled at restoreRate since: how long to wait before a query of a given
 * requested cost fits.
 */
import type { Clock } from "./http-retry";

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class ThrottleBudget {
  private last: { status: ThrottleStatus; at: number } | undefined;

  constructor(private readonly clock: Clock) {}

  record(status: ThrottleStatus): void {
    this.last = { status, at: this.clock.now() };
  }

  get status(): ThrottleStatus | undefined {
    return this.last?.status;
  }

  available(): number | undefined {
    if (!this.last) return undefined;
    const { status, at } = this.last;
    const restored = (status.restoreRate * (this.clock.now() - at)) / 1000;
    return Math.min(status.maximumAvailable, status.currentlyAvailable + restored);
  }

  /** Milliseconds to wait before sending a query of `cost`; 0 when it fits now or nothing is known yet. */
  waitBefore(cost: number): number {
    const available = this.available();
    if (available === undefined || !this.last) return 0;
    const { maximumAvailable, restoreRate } = this.last.status;
    // A cost above the bucket's size can never fit: wait for a full bucket and let Shopify judge.
    const needed = Math.min(cost, maximumAvailable) - available;
    if (needed <= 0 || restoreRate <= 0) return 0;
    return Math.ceil((needed / restoreRate) * 1000);
  }
}

export function throttleStatusOf(value: unknown): ThrottleStatus | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { maximumAvailable, currentlyAvailable, restoreRate } = value as Record<string, unknown>;
  if (typeof maximumAvailable !== "number" || typeof currentlyAvailable !== "number" || typeof restoreRate !== "number") return undefined;
  return { maximumAvailable, currentlyAvailable, restoreRate };
}
