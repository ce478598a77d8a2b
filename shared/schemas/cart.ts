import * as v from "valibot";
import { amount, booleanParam, currencyCode, email, externalId, idParam, jsonObject, optionalText, platformTimestamp, positiveId, text, url } from "./common";
import { pagedListQuery } from "./list-query";
import { defineOperation } from "../api/operation";
import { RECOVERY_TEMPLATES } from "../carts/templates";

export const CART_STATUSES = ["active", "abandoned", "recovered", "converted", "expired"] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/** A cart holds at most this many lines: the cart item stays far below DynamoDB's 400 KB. */
export const MAX_CART_ITEMS = 250;

const cartItem = v.object({
  external_product_id: v.optional(externalId),
  external_variant_id: v.optional(externalId),
  sku: optionalText(100),
  product_name: text(255, 1),
  variant_name: optionalText(255),
  quantity: v.pipe(v.number("must be a number"), v.integer("must be a whole number"), v.minValue(1, "must be at least 1"), v.maxValue(100_000, "must be at most 100000")),
  unit_price: amount,
  total_amount: v.optional(amount),
  image_url: v.optional(v.nullable(url)),
});
export type CartItemInput = v.InferOutput<typeof cartItem>;

/** A cart from a storefront, identified by (storefront_id, external_cart_id) or (storefront_id, cart_token). */
export const upsertCartBody = v.pipe(
  v.object({
    storefront_id: positiveId,
    external_cart_id: v.optional(v.nullable(externalId)),
    cart_token: v.optional(v.nullable(externalId)),
    external_customer_id: v.optional(v.nullable(externalId)),
    customer_email: v.optional(v.nullable(email)),
    customer_first_name: optionalText(100),
    buyer_accepts_marketing: v.optional(v.boolean("must be true or false")),
    cart_items: v.pipe(v.array(cartItem, "must be a list of cart items"), v.maxLength(MAX_CART_ITEMS, `must have at most ${MAX_CART_ITEMS} items`)),
    subtotal_amount: v.optional(amount),
    discount_amount: v.optional(amount),
    shipping_amount: v.optional(amount),
    tax_amount: v.optional(amount),
    total_amount: v.optional(amount),
    currency: v.optional(currencyCode),
    checkout_url: v.optional(v.nullable(url)),
    utm_source: optionalText(255),
    utm_medium: optionalText(255),
    utm_campaign: optionalText(255),
    browser_info: v.optional(v.nullable(jsonObject)),
    created_at: v.optional(platformTimestamp),
    updated_at: v.optional(v.pipe(platformTimestamp, v.description("The platform's last activity time; an update older than the stored one is not applied"))),
    completed_at: v.optional(v.nullable(v.pipe(platformTimestamp, v.description("Set when the checkout was completed: the cart is converted and never emailed")))),
  }),
  v.forward(
    v.check((body) => Boolean(body.external_cart_id ?? body.cart_token), "external_cart_id or cart_token is required"),
    ["external_cart_id"],
  ),
);
export type UpsertCartInput = v.InferOutput<typeof upsertCartBody>;

export const cartParams = v.object({ id: idParam });

const nonNegativeAmount = v.pipe(
  v.string(),
  v.regex(/^\d{1,12}(\.\d+)?$/, "must be a decimal amount such as 50 or 49.99"),
);

export const listAbandonedCartsQuery = pagedListQuery({
  storefront_id: v.optional(idParam),
  min_value: v.optional(nonNegativeAmount),
  days_abandoned: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, "must be a whole number of days"), v.transform(Number))),
  recovery_sent: v.optional(booleanParam),
});
export type ListAbandonedCartsQuery = v.InferOutput<typeof listAbandonedCartsQuery>;

const template = v.optional(v.picklist(RECOVERY_TEMPLATES, `must be one of ${RECOVERY_TEMPLATES.join(", ")}`), "default");

/** The seed's two forms: some carts by id, or every eligible cart of a storefront. */
export const recoverCartsBody = v.union(
  [
    v.object({
      cart_ids: v.pipe(v.array(positiveId, "must be a list of cart ids"), v.minLength(1, "must name at least one cart"), v.maxLength(500, "must name at most 500 carts")),
      email_template: template,
    }),
    v.object({
      storefront_id: positiveId,
      send_all: v.literal(true, "must be true"),
      email_template: template,
    }),
  ],
  "must hold cart_ids, or storefront_id with send_all: true",
);
export type RecoverCartsInput = v.InferOutput<typeof recoverCartsBody>;

export const unsubscribeQuery = v.object({ token: v.pipe(v.string(), v.minLength(10, "must be an unsubscribe token"), v.maxLength(1024, "must be an unsubscribe token")) });

const nullableText = v.nullable(v.string());

export const cartItemView = v.object({
  external_product_id: nullableText,
  external_variant_id: nullableText,
  sku: nullableText,
  product_name: v.string(),
  variant_name: nullableText,
  quantity: v.number(),
  unit_price: v.string(),
  total_amount: v.string(),
  image_url: nullableText,
});

export const cartView = v.object({
  cart_id: v.number(),
  storefront_id: v.number(),
  external_cart_id: nullableText,
  cart_token: nullableText,
  ecommerce_customer_id: v.nullable(v.number()),
  external_customer_id: nullableText,
  customer_email: nullableText,
  customer_first_name: nullableText,
  cart_items: v.array(cartItemView),
  item_count: v.number(),
  subtotal_amount: v.string(),
  discount_amount: v.string(),
  shipping_amount: v.string(),
  tax_amount: v.string(),
  total_amount: v.string(),
  currency: v.string(),
  cart_status: v.picklist(CART_STATUSES),
  is_abandoned: v.boolean(),
  abandoned_at: nullableText,
  last_activity_at: v.string(),
  recovery_email_sent: v.boolean(),
  recovery_email_sent_at: nullableText,
  recovery_email_count: v.number(),
  checkout_url: nullableText,
  converted_to_order: v.boolean(),
  ecommerce_order_id: v.nullable(v.number()),
  converted_at: nullableText,
  utm_source: nullableText,
  utm_medium: nullableText,
  utm_campaign: nullableText,
  browser_info: v.nullable(v.looseObject({})),
  created_at: v.string(),
  updated_at: v.string(),
});

export const abandonedCartView = v.object({
  ...cartView.entries,
  hours_abandoned: v.pipe(v.number(), v.description("Hours since abandonment, one decimal")),
  days_abandoned: v.pipe(v.number(), v.description("Whole days since abandonment")),
});

export const cartStatistics = v.object({
  total_abandoned_carts: v.pipe(v.number(), v.description("Carts ever abandoned, recovered ones included")),
  currently_abandoned_carts: v.number(),
  potential_revenue: v.pipe(v.string(), v.description("Value of the carts still abandoned, in currency")),
  average_cart_value: v.string(),
  recovery_emails_sent: v.pipe(v.number(), v.description("Carts sent at least one recovery email")),
  total_recovery_emails: v.number(),
  recovered_carts: v.number(),
  recovered_revenue: v.pipe(v.string(), v.description("Revenue of orders that completed an emailed cart, in currency")),
  recovery_rate: v.pipe(v.string(), v.description("recovered_carts / total_abandoned_carts, in percent")),
  currency: v.string(),
});

const skipped = v.array(v.object({ cart_id: v.number(), reason: v.string() }));

const tags = ["Carts"];
const unsubscribeSummary = "One-click unsubscribe from recovery emails (the link in every email; no API key, a signed token)";

export const cartOperations = {
  upsert: defineOperation({
    method: "POST", path: "/api/ecommerce/carts", tags, role: "operator",
    summary: "Create or update a cart by (storefront_id, external_cart_id or cart_token); every update is activity, older updates are not applied",
    body: upsertCartBody,
    responses: { 200: { description: "Updated", schema: v.object({ message: v.string(), action: v.string(), cart: cartView }) }, 201: { description: "Created", schema: v.object({ message: v.string(), action: v.string(), cart: cartView }) } },
  }),
  get: defineOperation({
    method: "GET", path: "/api/ecommerce/carts/{id}", tags, role: "viewer",
    summary: "Read a cart",
    params: cartParams,
    responses: { 200: { description: "The cart", schema: v.object({ cart: cartView }) } },
  }),
  listAbandoned: defineOperation({
    method: "GET", path: "/api/ecommerce/carts/abandoned", tags, role: "viewer",
    summary: "Abandoned carts, most recently abandoned first, with recovery statistics",
    query: listAbandonedCartsQuery,
    responses: {
      200: {
        description: "Abandoned carts",
        schema: v.object({ carts: v.array(abandonedCartView), pagination: v.looseObject({}), next_cursor: nullableText, statistics: cartStatistics }),
      },
    },
  }),
  recover: defineOperation({
    method: "POST", path: "/api/ecommerce/carts/abandoned/recover", tags, role: "operator",
    summary: "Queue the next recovery email of some abandoned carts, or of every eligible cart of a storefront; answers which carts were skipped and why",
    body: recoverCartsBody,
    responses: {
      202: {
        description: "Queued",
        schema: v.object({ message: v.string(), affected_carts: v.number(), emails_sent: v.pipe(v.number(), v.description("Emails queued for sending")), skipped }),
      },
    },
  }),
  unsubscribe: defineOperation({ method: "GET", path: "/api/ecommerce/carts/unsubscribe", tags, summary: unsubscribeSummary, query: unsubscribeQuery, responses: { 200: { description: "Unsubscribed (an HTML page)" } } }),
  unsubscribeOneClick: defineOperation({ method: "POST", path: "/api/ecommerce/carts/unsubscribe", tags, summary: `${unsubscribeSummary}; RFC 8058 List-Unsubscribe-Post`, query: unsubscribeQuery, responses: { 200: { description: "Unsubscribed" } } }),
};
