/**
 * Bounded retries for outbound platform calls: exponential backoff with full
 * jitter, or the wait the platform asked for (Retry-After). Time comes from an
 * injected clock so that tests do not wait in real time.
 */
import { PlatformError, RateLimited } from "./errors";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for in-process: the error goes up, for the queue to redeliver later. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 };

/** Full jitter: a uniform wait in [0, min(max, base × 2^retry)), which spreads concurrent clients apart. */
export function backoffDelayMs(retry: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  random?: () => number;
  /** Told of every wait before it happens (counters, logs). */
  onWait?: (waitMs: number, error: unknown) => void;
}

/** The wait before retrying after `error`, or undefined when it is not worth retrying. */
export function retryDelayMs(error: unknown, retry: number, options: RetryOptions): number | undefined {
  if (error instanceof RateLimited) {
    if (error.retryAfterMs === undefined) return backoffDelayMs(retry, options.policy, options.random);
    return error.retryAfterMs <= options.policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  if (error instanceof PlatformError && error.retryable) return backoffDelayMs(retry, options.policy, options.random);
  return undefined;
}

export async function withRetries<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const wait = attempt < options.policy.maxAttempts ? retryDelayMs(error, attempt - 1, options) : undefined;
      if (wait === undefined) throw error;
      options.onWait?.(wait, error);
      await options.clock.sleep(wait);
    }
  }
}
