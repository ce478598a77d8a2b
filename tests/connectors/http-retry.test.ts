import { describe, expect, it } from "vitest";
import { connectorFor, ConnectorNotConfigured, NoConnectorForPlatform, PlatformError, RateLimited, CredentialsRejected } from "../../shared/connectors/connector";
import { backoffDelayMs, retryAfterMs, withRetries, DEFAULT_RETRY_POLICY } from "../../shared/connectors/http-retry";
import { countingCipher, fakeClock, storefrontRecord } from "./support";

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };

describe("retries", () => {
  it("backs off exponentially with full jitter, capped", () => {
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, policy, () => 0.5))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it("reads Retry-After as seconds or as a date", () => {
    const now = Date.parse("2024-06-01T00:00:00Z");
    expect(retryAfterMs("2", now)).toBe(2000);
    expect(retryAfterMs("Sat, 01 Jun 2024 00:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it("retries retryable failures a bounded number of times, waiting on the injected clock", async () => {
    const clock = fakeClock();
    let attempts = 0;
    const failing = withRetries(
      async () => {
        attempts++;
        throw new PlatformError("shopify", "503", 503, true);
      },
      { policy, clock, random: () => 1 },
    );
    await expect(failing).rejects.toThrow("503");
    expect(attempts).toBe(4);
    expect(clock.slept).toEqual([100, 200, 400]);
  });

  it("honours Retry-After and does not retry what cannot succeed", async () => {
    const clock = fakeClock();
    let attempts = 0;
    const result = await withRetries(
      async () => {
        if (++attempts === 1) throw new RateLimited("woocommerce", "slow down", 1500);
        return "done";
      },
      { policy, clock },
    );
    expect(result).toBe("done");
    expect(clock.slept).toEqual([1500]);
    const rejected = withRetries(
      async () => {
        attempts++;
        throw new CredentialsRejected("woocommerce", 401, "Consumer key is invalid.");
      },
      { policy: DEFAULT_RETRY_POLICY, clock },
    );
    await expect(rejected).rejects.toBeInstanceOf(CredentialsRejected);
    expect(attempts).toBe(3);
  });
});

describe("connectorFor", () => {
  it("has no connector for custom storefronts", async () => {
    expect(() => connectorFor({ platform_type: "custom" } as never)).toThrow(NoConnectorForPlatform);
  });

  it("fails at the call, not at creation, when a credential is missing", async () => {
    const cipher = countingCipher();
    const storefront = await storefrontRecord("woocommerce", "http://127.0.0.1:1", { api_key: "ck_only" });
    const woo = connectorFor(storefront, { cipher });
    await expect(woo.testConnection()).rejects.toBeInstanceOf(ConnectorNotConfigured);
  });
});
