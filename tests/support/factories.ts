/** Record factories: a valid request body, with only what a test cares about overridden. */
import { randomUUID } from "node:crypto";

export function storefrontInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const suffix = randomUUID().slice(0, 6).toUpperCase();
  return {
    storefront_code: `SHOP-${suffix}`,
    storefront_name: `Test Store ${suffix}`,
    platform_type: "shopify",
    platform_url: "https://test-store.myshopify.com",
    default_currency: "USD",
    ...overrides,
  };
}
