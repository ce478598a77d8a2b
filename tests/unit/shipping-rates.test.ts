import { describe, expect, it } from "vitest";
import { gramsOf, isAvailable, newShippingMethod, rateMinor } from "../../shared/domain/shipping-records";

const method = newShippingMethod(
  { shipping_method_id: 1, storefront_id: 1, currency: "USD" },
  { method_name: "Express", method_code: "EXP", base_rate_minor: 1599, rate_per_kg_minor: 250, rate_per_item_minor: 75, free_shipping_threshold_minor: 50000, min_order_amount_minor: 2000, max_order_amount_minor: 100000, max_weight_grams: 10000, available_countries: ["US"] },
  "2026-01-01T00:00:00.000Z",
);
const request = (overrides: Partial<{ country: string; orderMinor: number; grams: number; itemCount: number }> = {}) => ({ country: "US", orderMinor: 10000, grams: 2000, itemCount: 3, ...overrides });

describe("shipping rates", () => {
  it("add base, per kg (rounded half up) and per item", () => {
    expect(rateMinor(method, request())).toBe(1599 + 500 + 225);
    expect(rateMinor(method, request({ grams: 1234, itemCount: 1 }))).toBe(1599 + 309 + 75);
    expect(rateMinor(method, request({ grams: 1, itemCount: 0 }))).toBe(1599);
  });

  it("are free from the threshold on", () => {
    expect(rateMinor(method, request({ orderMinor: 50000 }))).toBe(0);
    expect(rateMinor(method, request({ orderMinor: 49999 }))).toBeGreaterThan(0);
  });

  it("apply within inclusive bounds", () => {
    expect(isAvailable(method, request({ orderMinor: 2000 }))).toBe(true);
    expect(isAvailable(method, request({ orderMinor: 1999 }))).toBe(false);
    expect(isAvailable(method, request({ orderMinor: 100000 }))).toBe(true);
    expect(isAvailable(method, request({ orderMinor: 100001 }))).toBe(false);
    expect(isAvailable(method, request({ grams: 10000 }))).toBe(true);
    expect(isAvailable(method, request({ grams: 10001 }))).toBe(false);
    expect(isAvailable(method, request({ country: "DE" }))).toBe(false);
    expect(isAvailable({ ...method, is_active: false }, request())).toBe(false);
  });

  it("read weights to the gram", () => {
    expect(gramsOf("2.5")).toBe(2500);
    expect(gramsOf("0.001")).toBe(1);
    expect(gramsOf("12")).toBe(12000);
  });
});
