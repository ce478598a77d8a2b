/** Catalog request bodies: valid by default, with only what a test cares about overridden. */
import { randomUUID } from "node:crypto";

const suffix = () => randomUUID().slice(0, 8);

export function productInput(storefrontId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = suffix();
  return {
    storefront_id: storefrontId,
    external_product_id: `prod_${id}`,
    external_sku: `SKU-${id.toUpperCase()}`,
    product_name: `Test Product ${id}`,
    price: 99.99,
    inventory_quantity: 50,
    ...overrides,
  };
}

export function variantInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    external_variant_id: `var_${suffix()}`,
    option1_name: "Size",
    option1_value: "Small",
    option2_name: "Color",
    option2_value: "Red",
    price: "19.99",
    inventory_quantity: 5,
    ...overrides,
  };
}

export function categoryInput(storefrontId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = suffix();
  return {
    storefront_id: storefrontId,
    external_category_id: `cat_${id}`,
    category_name: `Category ${id}`,
    ...overrides,
  };
}
