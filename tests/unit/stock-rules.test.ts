import { describe, expect, it } from "vitest";
import { publishedQuantity, STOCK_RULE_DEFAULTS, stockRulesOf, type StockRules } from "../../shared/domain/stock-rules";

const rules = (overrides: Partial<StockRules> = {}): StockRules => ({ ...STOCK_RULE_DEFAULTS, ...overrides });

describe("publishedQuantity", () => {
  it("publishes the whole available quantity under the default rules", () => {
    expect(publishedQuantity(0, rules())).toBe(0);
    expect(publishedQuantity(37, rules())).toBe(37);
  });

  it("holds the safety buffer back, and never goes below zero", () => {
    expect(publishedQuantity(10, rules({ inventory_safety_buffer: 3 }))).toBe(7);
    expect(publishedQuantity(3, rules({ inventory_safety_buffer: 3 }))).toBe(0);
    expect(publishedQuantity(2, rules({ inventory_safety_buffer: 5 }))).toBe(0);
    expect(publishedQuantity(-4, rules())).toBe(0);
  });

  it("publishes the percentage of what is left after the buffer, rounded down", () => {
    expect(publishedQuantity(10, rules({ inventory_percentage: 50 }))).toBe(5);
    expect(publishedQuantity(9, rules({ inventory_percentage: 50 }))).toBe(4);
    expect(publishedQuantity(7, rules({ inventory_percentage: 33 }))).toBe(2);
    expect(publishedQuantity(1, rules({ inventory_percentage: 99 }))).toBe(0);
    expect(publishedQuantity(29, rules({ inventory_percentage: 100 }))).toBe(29);
    // 12 − 2 = 10 left, 70 % of which is 7.
    expect(publishedQuantity(12, rules({ inventory_safety_buffer: 2, inventory_percentage: 70 }))).toBe(7);
  });

  it("caps at the maximum, applied last", () => {
    expect(publishedQuantity(500, rules({ inventory_max_quantity: 20 }))).toBe(20);
    expect(publishedQuantity(15, rules({ inventory_max_quantity: 20 }))).toBe(15);
    expect(publishedQuantity(500, rules({ inventory_max_quantity: 0 }))).toBe(0);
    // (100 − 10) × 50 % = 45, capped at 40.
    expect(publishedQuantity(100, rules({ inventory_safety_buffer: 10, inventory_percentage: 50, inventory_max_quantity: 40 }))).toBe(40);
    expect(publishedQuantity(100, rules({ inventory_safety_buffer: 10, inventory_percentage: 50, inventory_max_quantity: 50 }))).toBe(45);
  });

  it("stays exact for large quantities", () => {
    expect(publishedQuantity(1_000_000_000, rules({ inventory_percentage: 29 }))).toBe(290_000_000);
  });
});

describe("stockRulesOf", () => {
  it("reads a storefront stored before the rules existed as the defaults", () => {
    expect(stockRulesOf({})).toEqual({ inventory_safety_buffer: 0, inventory_percentage: 100, inventory_max_quantity: null });
  });

  it("keeps the rules a storefront has", () => {
    expect(stockRulesOf({ inventory_safety_buffer: 2, inventory_percentage: 40, inventory_max_quantity: 9 })).toEqual({
      inventory_safety_buffer: 2,
      inventory_percentage: 40,
      inventory_max_quantity: 9,
    });
  });
});
