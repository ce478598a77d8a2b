/**
 * WooCommerce variations (REST v3 /products/{id}/variations objects) → the
 * hub's variant bodies. The webhook mapper has no counterpart: Woo does not
 * send variations with a product, only their ids.
 */
import type { Body } from "../webhooks/actions";
import { compact, idOf, recordOf, records, stockOf, textOf, type Json } from "../webhooks/map-common";

const MAX_OPTIONS = 3;

const measure = (value: unknown): number | undefined => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : undefined;
  return number !== undefined && Number.isFinite(number) && number >= 0 ? number : undefined;
};

export function variationBody(variation: Json): Body {
  const attributes = records(variation.attributes).filter((attribute) => textOf(attribute.name) && textOf(attribute.option));
  const options: Body = {};
  attributes.slice(0, MAX_OPTIONS).forEach((attribute, index) => {
    options[`option${index + 1}_name`] = attribute.name;
    options[`option${index + 1}_value`] = attribute.option;
  });
  const onSale = variation.on_sale === true;
  const managed = variation.manage_stock === true;
  return compact({
    external_variant_id: idOf(variation.id),
    variant_name: attributes.length > 0 ? attributes.map((attribute) => attribute.option).join(" / ") : undefined,
    sku: textOf(variation.sku) ?? null,
    ...options,
    price: textOf(variation.price) ?? textOf(variation.regular_price),
    compare_at_price: onSale && textOf(variation.regular_price) ? variation.regular_price : null,
    // "parent": the parent product's stock counts for the variation, which then has no count of its own.
    inventory_tracked: typeof variation.manage_stock === "boolean" ? managed : undefined,
    inventory_quantity: managed ? (stockOf(variation.stock_quantity) ?? 0) : undefined,
    weight: measure(variation.weight) ?? null,
    image_url: textOf(recordOf(variation.image)?.src) ?? null,
    is_available: typeof variation.purchasable === "boolean" ? variation.purchasable : undefined,
  });
}
