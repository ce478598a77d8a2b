import * as v from "valibot";
import { amount, externalId, idParam, optionalText, positiveId, text } from "./common";
import { defineOperation } from "../api/operation";

const countryCode = v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, "must be an ISO 3166 country code such as US"));
/** A weight in kilograms, to the gram. */
const kilograms = v.pipe(
  v.union([v.number(), v.string()], "must be a weight in kg such as 2.5"),
  v.transform((value) => (typeof value === "number" ? String(value) : value.trim())),
  v.regex(/^\d{1,6}(\.\d{1,3})?$/, "must be a weight in kg with at most 3 decimals"),
);
const days = v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(0, "must not be negative"), v.maxValue(365, "must be at most 365"));
const flag = v.boolean("must be true or false");

const shippingMethodFields = {
  external_shipping_id: v.optional(v.nullable(externalId)),
  method_name: text(200, 1),
  method_code: text(50, 1),
  carrier: optionalText(100),
  service_level: optionalText(50),
  base_rate: amount,
  rate_per_kg: v.optional(amount),
  rate_per_item: v.optional(amount),
  free_shipping_threshold: v.optional(v.nullable(amount)),
  min_delivery_days: v.optional(v.nullable(days)),
  max_delivery_days: v.optional(v.nullable(days)),
  estimated_delivery_text: optionalText(200),
  available_countries: v.optional(v.pipe(v.array(countryCode, "must be a list of country codes"), v.maxLength(250, "must have at most 250 countries"))),
  available_zones: v.optional(v.pipe(v.array(text(100, 1), "must be a list"), v.maxLength(100, "must have at most 100 zones"))),
  min_order_amount: v.optional(v.nullable(amount)),
  max_order_amount: v.optional(v.nullable(amount)),
  max_weight: v.optional(v.nullable(kilograms)),
  supports_tracking: v.optional(flag),
  tracking_url_template: optionalText(2048),
  is_active: v.optional(flag),
};

export const createShippingMethodBody = v.object({ storefront_id: positiveId, ...shippingMethodFields });
export type CreateShippingMethodInput = v.InferOutput<typeof createShippingMethodBody>;

export const updateShippingMethodBody = v.pipe(
  v.partial(v.object(shippingMethodFields)),
  v.check((body) => Object.values(body).some((value) => value !== undefined), "must change at least one field"),
);
export type UpdateShippingMethodInput = v.InferOutput<typeof updateShippingMethodBody>;

export const shippingMethodParams = v.object({ id: idParam });
export const listShippingMethodsQuery = v.object({ storefront_id: idParam });

export const rateQuoteBody = v.object({
  storefront_id: positiveId,
  country: countryCode,
  order_amount: amount,
  weight: v.optional(kilograms, "0"),
  item_count: v.optional(v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(0, "must not be negative"), v.maxValue(100_000, "must be at most 100000")), 1),
});
export type RateQuoteInput = v.InferOutput<typeof rateQuoteBody>;

const money = v.pipe(v.string(), v.description("Decimal amount in the storefront's currency"));
const nullableMoney = v.nullable(money);
const nullableText = v.nullable(v.string());

export const shippingMethodView = v.object({
  shipping_method_id: v.number(),
  storefront_id: v.number(),
  external_shipping_id: nullableText,
  method_name: v.string(),
  method_code: v.string(),
  carrier: nullableText,
  service_level: nullableText,
  currency: v.string(),
  base_rate: money,
  rate_per_kg: money,
  rate_per_item: money,
  free_shipping_threshold: nullableMoney,
  min_delivery_days: v.nullable(v.number()),
  max_delivery_days: v.nullable(v.number()),
  estimated_delivery_text: nullableText,
  available_countries: v.array(v.string()),
  available_zones: v.array(v.string()),
  min_order_amount: nullableMoney,
  max_order_amount: nullableMoney,
  max_weight: nullableText,
  supports_tracking: v.boolean(),
  tracking_url_template: nullableText,
  is_active: v.boolean(),
  created_at: v.string(),
  updated_at: v.string(),
});

const rateView = v.object({
  shipping_method_id: v.number(),
  method_name: v.string(),
  method_code: v.string(),
  carrier: nullableText,
  service_level: nullableText,
  rate: money,
  currency: v.string(),
  is_free: v.boolean(),
  min_delivery_days: v.nullable(v.number()),
  max_delivery_days: v.nullable(v.number()),
  estimated_delivery_text: nullableText,
});

const tags = ["Shipping"];
const methods = "/api/ecommerce/shipping/methods";
const method = `${methods}/{id}`;
const one = v.object({ message: v.optional(v.string()), shipping_method: shippingMethodView });

export const shippingOperations = {
  list: defineOperation({
    method: "GET", path: methods, tags, role: "viewer",
    summary: "A storefront's shipping methods",
    query: listShippingMethodsQuery,
    responses: { 200: { description: "Shipping methods", schema: v.object({ shipping_methods: v.array(shippingMethodView) }) } },
  }),
  create: defineOperation({
    method: "POST", path: methods, tags, role: "admin",
    summary: "Create a shipping method of a storefront (amounts in its default currency)",
    body: createShippingMethodBody,
    responses: { 201: { description: "Created", schema: one } },
  }),
  get: defineOperation({
    method: "GET", path: method, tags, role: "viewer",
    summary: "Read a shipping method",
    params: shippingMethodParams,
    responses: { 200: { description: "The shipping method", schema: one } },
  }),
  update: defineOperation({
    method: "PUT", path: method, tags, role: "admin",
    summary: "Change a shipping method's fields; null clears an optional one",
    params: shippingMethodParams,
    body: updateShippingMethodBody,
    responses: { 200: { description: "Updated", schema: one } },
  }),
  delete: defineOperation({
    method: "DELETE", path: method, tags, role: "admin",
    summary: "Delete a shipping method",
    params: shippingMethodParams,
    responses: { 200: { description: "Deleted" } },
  }),
  rates: defineOperation({
    method: "POST", path: "/api/ecommerce/shipping/rates", tags, role: "viewer",
    summary: "Quote the storefront's active methods for a destination country, order amount, weight (kg) and item count, cheapest first",
    body: rateQuoteBody,
    responses: { 200: { description: "Quotes", schema: v.object({ rates: v.array(rateView) }) } },
  }),
};
