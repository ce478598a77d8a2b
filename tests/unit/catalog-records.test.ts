import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { ValidationError } from "../../shared/http/errors";
import { amount } from "../../shared/schemas/common";
import { upsertProductBody } from "../../shared/schemas/product";
import { createVariantBody } from "../../shared/schemas/variant";
import {
  assertInventoryEditable,
  isStaleUpdate,
  mergeProduct,
  newProductRecord,
  productView,
  toProductChanges,
  type ProductRecord,
} from "../../shared/domain/product-records";
import { newVariantRecord, toVariantChanges } from "../../shared/domain/variant-records";

const NOW = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-02T00:00:00.000Z";

function stored(overrides: Partial<ProductRecord> = {}): ProductRecord {
  return {
    ...newProductRecord(
      { ecommerce_product_id: 1, storefront_id: 1, currency: "USD", external_product_id: "p1", product_name: "Desk", price_minor: 59999 },
      { tags: ["office"], custom_fields: { a: 1, b: { c: 2 } } },
      NOW,
    ),
    ...overrides,
  };
}

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  return undefined;
};

describe("money in product requests", () => {
  it("accepts JSON numbers and decimal strings, refusing negatives and exponents", () => {
    expect(v.parse(amount, 1299.99)).toBe("1299.99");
    expect(v.parse(amount, " 0.10 ")).toBe("0.10");
    expect(v.safeParse(amount, -1).issues?.[0]?.message).toBe("must not be negative");
    expect(v.safeParse(amount, 1e21).success).toBe(false);
    expect(v.safeParse(amount, "12abc").success).toBe(false);
    expect(v.safeParse(amount, "1000000000000").success).toBe(false);
  });

  it("converts amounts exactly into the currency's minor units, and names a field with too many decimals", () => {
    expect(toProductChanges({ price: "1299.99", compare_at_price: "0.1", cost_per_item: null }, "USD")).toEqual({
      price_minor: 129999,
      compare_at_price_minor: 10,
      cost_per_item_minor: null,
    });
    expect(toProductChanges({ price: "1500" }, "JPY")).toEqual({ price_minor: 1500 });
    expect(toProductChanges({ price: "1.234" }, "KWD")).toEqual({ price_minor: 1234 });
    expect(issuesOf(() => toProductChanges({ price: "1.5", compare_at_price: "2" }, "JPY"))).toEqual([{ field: "body.price", message: "must have at most 0 decimals in JPY" }]);
    expect(issuesOf(() => toVariantChanges({ compare_at_price: "9.999" }, "EUR"))).toEqual([{ field: "body.compare_at_price", message: "must have at most 2 decimals in EUR" }]);
  });

  it("shows amounts as decimal strings with the currency's decimals", () => {
    const view = productView(stored({ compare_at_price_minor: 5 }));
    expect(view).toMatchObject({ price: "599.99", compare_at_price: "0.05", cost_per_item: null, stock_status: "out_of_stock" });
    expect(view).not.toHaveProperty("price_minor");
    expect(view).not.toHaveProperty("search_text");
    expect(Object.keys(view)[0]).toBe("ecommerce_product_id");
  });
});

describe("merging product requests", () => {
  it("finds nothing to change when a request repeats the stored data, whatever its key order", () => {
    const current = stored();
    const { next, changedFields } = mergeProduct(current, { product_name: "Desk", price_minor: 59999, custom_fields: { b: { c: 2 }, a: 1 } }, LATER);
    expect(changedFields).toEqual([]);
    expect(next.updated_at).toBe(NOW);
    expect(next.version).toBe(current.version);
  });

  it("lists the changed fields, stamps the write, and keeps the search text in step", () => {
    const { next, changedFields } = mergeProduct(stored(), { product_name: "Standing Desk", external_sku: "DSK-9", short_description: null }, LATER, "2025-12-31T00:00:00.000Z");
    expect(changedFields.sort()).toEqual(["external_sku", "platform_updated_at", "product_name", "search_text"]);
    expect(next).toMatchObject({ updated_at: LATER, version: 2, search_text: "standing desk\ndsk-9" });
  });

  it("sets published_at when a product is first published, and keeps created_by", () => {
    const { next } = mergeProduct(stored(), { is_published: true, created_by: 99 }, LATER);
    expect(next).toMatchObject({ published_at: LATER, created_by: null });
    expect(newProductRecord({ ecommerce_product_id: 2, storefront_id: 1, currency: "USD", external_product_id: "p2", product_name: "x", price_minor: 1 }, { is_published: true }, NOW).published_at).toBe(NOW);
  });

  it("treats an update as stale unless it is newer than the data applied", () => {
    expect(isStaleUpdate(null, "2026-01-01T00:00:00.000Z")).toBe(false);
    expect(isStaleUpdate("2026-01-01T00:00:00.000Z", undefined)).toBe(false);
    expect(isStaleUpdate("2026-01-01T00:00:00.000Z", "2025-12-31T23:59:59.999Z")).toBe(true);
    expect(isStaleUpdate("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z")).toBe(true);
    expect(isStaleUpdate("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z")).toBe(false);
  });

  it("lets a product with variants repeat its inventory but not change it", () => {
    const withVariants = stored({ variant_count: 2, inventory_quantity: 12 });
    expect(() => assertInventoryEditable(withVariants, { inventory_quantity: 12 })).not.toThrow();
    expect(() => assertInventoryEditable(withVariants, { inventory_quantity: 13 })).toThrow(/sum of theirs/);
    expect(() => assertInventoryEditable(stored(), { inventory_quantity: 13 })).not.toThrow();
  });
});

describe("request schemas", () => {
  const fieldsOf = (schema: v.GenericSchema, input: unknown) =>
    v.safeParse(schema, input).issues?.map((issue) => v.getDotPath(issue)).sort();

  it("normalizes the platform's ids and timestamps", () => {
    const parsed = v.parse(upsertProductBody, { storefront_id: 1, external_product_id: 7001234567890, product_name: "x", price: 1, updated_at: "2024-12-04T10:30:00-05:00" });
    expect(parsed).toMatchObject({ external_product_id: "7001234567890", updated_at: "2024-12-04T15:30:00.000Z" });
  });

  it("allows three variant options, as fields or as a list, and nothing more", () => {
    expect(v.parse(createVariantBody, { options: [{ name: "Size", value: "S" }] })).toMatchObject({ option1_name: "Size", option1_value: "S", option2_name: null, option3_value: null });
    expect(fieldsOf(createVariantBody, { option4_name: "Style", option4_value: "Slim" })).toEqual(["option4_name", "option4_value"]);
    expect(fieldsOf(createVariantBody, { options: [1, 2, 3, 4].map((n) => ({ name: `n${n}`, value: `v${n}` })) })).toEqual(["options"]);
    expect(fieldsOf(createVariantBody, { options: [{ name: "Size" }] })).toEqual(["options.0"]);
    expect(v.parse(createVariantBody, { unknown_field: 1, sku: "A" })).toEqual({ sku: "A" });
  });

  it("names variants after their option values", () => {
    const variant = newVariantRecord({ variant_id: 1, ecommerce_product_id: 1, currency: "USD", price_minor: 100 }, { option1_value: "Small", option2_value: "Red" }, NOW);
    expect(variant.variant_name).toBe("Small / Red");
    expect(newVariantRecord({ variant_id: 2, ecommerce_product_id: 1, currency: "USD", price_minor: 100 }, {}, NOW).variant_name).toBe("Default");
  });
});
