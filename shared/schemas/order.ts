import * as v from "valibot";
import { amount, currencyCode, email, externalId, idParam, MAX_PAGE_DEPTH, optionalText, platformTimestamp, positiveId, quantity, text } from "./common";
import { dateBound, pagedListQuery } from "./list-query";
import { defineOperation } from "../api/operation";

export const ORDER_STATUSES = ["pending", "confirmed", "processing", "fulfilled", "cancelled", "refunded"] as const;
export const PAYMENT_STATUSES = ["pending", "authorized", "paid", "partially_paid", "refunded", "partially_refunded", "voided"] as const;
export const FULFILLMENT_STATUSES = ["unfulfilled", "partially_fulfilled", "fulfilled"] as const;
export const IMPORT_STATUSES = ["pending", "imported", "error"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** A transaction holds 100 actions: the order, its lookup and its items must fit in one. */
export const MAX_LINE_ITEMS = 95;

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => v.picklist(values, `must be one of ${values.join(", ")}`);
const flag = v.boolean("must be true or false");

const address = v.object({
  first_name: optionalText(100),
  last_name: optionalText(100),
  company: optionalText(200),
  address_line1: optionalText(255),
  address_line2: optionalText(255),
  city: optionalText(100),
  state_province: optionalText(100),
  postal_code: optionalText(20),
  country: optionalText(100),
  phone: optionalText(50),
});
export type AddressInput = v.InferOutput<typeof address>;

const lineItem = v.object({
  external_item_id: v.optional(externalId),
  external_product_id: v.optional(externalId),
  external_variant_id: v.optional(externalId),
  product_name: text(500, 1),
  variant_name: optionalText(255),
  sku: optionalText(100),
  quantity: v.pipe(quantity, v.minValue(1, "must be at least 1")),
  unit_price: amount,
  discount_amount: v.optional(amount),
  tax_amount: v.optional(amount),
  total_amount: v.optional(amount),
  weight: v.optional(v.nullable(v.pipe(v.number("must be a number"), v.minValue(0, "must not be negative")))),
  requires_shipping: v.optional(flag),
  is_taxable: v.optional(flag),
});
export type LineItemInput = v.InferOutput<typeof lineItem>;

/** The import from a storefront, identified by (storefront_id, external_order_id). */
export const importOrderBody = v.object({
  storefront_id: positiveId,
  external_order_id: externalId,
  external_order_number: optionalText(100),
  external_order_name: optionalText(100),
  external_customer_id: v.optional(externalId),
  customer_email: email,
  customer_first_name: optionalText(100),
  customer_last_name: optionalText(100),
  customer_phone: optionalText(50),
  order_date: platformTimestamp,
  processed_at: v.optional(v.nullable(platformTimestamp)),
  subtotal_amount: v.optional(amount),
  discount_amount: v.optional(amount),
  shipping_amount: v.optional(amount),
  tax_amount: v.optional(amount),
  total_amount: amount,
  currency: v.optional(currencyCode),
  shipping_address: v.optional(v.nullable(address)),
  billing_address: v.optional(v.nullable(address)),
  order_status: v.optional(oneOf(ORDER_STATUSES), "pending"),
  payment_status: v.optional(oneOf(PAYMENT_STATUSES), "pending"),
  fulfillment_status: v.optional(oneOf(FULFILLMENT_STATUSES), "unfulfilled"),
  import_status: v.optional(oneOf(IMPORT_STATUSES), "imported"),
  shipping_method: optionalText(100),
  payment_method: optionalText(50),
  payment_gateway: optionalText(50),
  payment_transaction_id: optionalText(255),
  is_test_order: v.optional(flag, false),
  requires_shipping: v.optional(flag, true),
  is_gift: v.optional(flag, false),
  gift_message: optionalText(1000),
  customer_note: optionalText(2000),
  cart_token: v.optional(v.nullable(v.pipe(externalId, v.description("The storefront's cart token; the cart with this token becomes converted")))),
  checkout_token: v.optional(v.nullable(v.pipe(externalId, v.description("The checkout (external_cart_id) the order completes; that cart becomes converted")))),
  tags: v.optional(v.pipe(v.array(text(100, 1), "must be a list"), v.maxLength(50, "must have at most 50 tags")), []),
  line_items: v.pipe(
    v.array(lineItem, "must be a list of line items"),
    v.minLength(1, "must have at least one line item"),
    v.maxLength(MAX_LINE_ITEMS, `must have at most ${MAX_LINE_ITEMS} line items`),
  ),
  updated_at: v.optional(v.pipe(platformTimestamp, v.description("The platform's own last-modified time; an import older than the stored one is not applied"))),
});
export type ImportOrderInput = v.InferOutput<typeof importOrderBody>;

export const listOrdersQuery = pagedListQuery({
  storefront_id: v.optional(idParam),
  order_status: v.optional(oneOf(ORDER_STATUSES)),
  payment_status: v.optional(oneOf(PAYMENT_STATUSES)),
  fulfillment_status: v.optional(oneOf(FULFILLMENT_STATUSES)),
  import_status: v.optional(oneOf(IMPORT_STATUSES)),
  from_date: v.optional(dateBound),
  to_date: v.optional(dateBound),
});
export type ListOrdersQuery = v.InferOutput<typeof listOrdersQuery>;

export const orderParams = v.object({ id: idParam });

export const fulfillOrderBody = v.object({
  items: v.optional(
    v.pipe(
      v.array(v.object({ order_item_id: positiveId, quantity: v.pipe(quantity, v.minValue(1, "must be at least 1")) }), "must be a list of { order_item_id, quantity }"),
      v.minLength(1, "must name at least one item"),
      v.maxLength(MAX_LINE_ITEMS, `must have at most ${MAX_LINE_ITEMS} items`),
      v.check((items) => new Set(items.map((item) => item.order_item_id)).size === items.length, "must name each item once"),
    ),
  ),
  shipping_carrier: optionalText(100),
  tracking_number: optionalText(255),
  tracking_url: v.optional(v.nullable(v.pipe(v.string(), v.url("must be a URL"), v.maxLength(2048, "must have at most 2048 characters")))),
});
export type FulfillOrderInput = v.InferOutput<typeof fulfillOrderBody>;

export const restockBody = v.object({
  restock: v.optional(v.boolean("must be true or false"), false),
  reason: optionalText(1000),
});
export type RestockInput = v.InferOutput<typeof restockBody>;

const tags = ["Orders"];
const actionResponses = { 200: { description: "Done" } };
const actionPath = (name: string) => `/api/ecommerce/orders/{id}/${name}`;
const conflictNote = "; 409 invalid_transition when the order's status does not allow it";

/**
 * The order operations, as the handlers validate with them. Their response
 * schemas, which only the OpenAPI document reads, are added in
 * ./order-responses (documentedOrderOperations, used by the wiring) so that
 * the handlers do not bundle them.
 */
export const orderOperations = {
  import: defineOperation({
    method: "POST", path: "/api/ecommerce/orders", tags, role: "operator",
    summary: "Import an order by (storefront_id, external_order_id): creates it or updates it; replays change nothing and older updates are not applied",
    body: importOrderBody,
    responses: {
      201: { description: "Created" },
      200: { description: "Updated, unchanged (replay) or stale" },
    },
  }),
  list: defineOperation({
    method: "GET", path: "/api/ecommerce/orders", tags, role: "viewer",
    summary: `List orders newest first (one storefront's, or every storefront's the key may read), with filters and statistics; page with next_cursor (page=N is limited to page × limit <= ${MAX_PAGE_DEPTH})`,
    query: listOrdersQuery,
    responses: { 200: { description: "Orders" } },
  }),
  get: defineOperation({
    method: "GET", path: "/api/ecommerce/orders/{id}", tags, role: "viewer",
    summary: "Read an order with its items, payments and customer",
    params: orderParams,
    responses: { 200: { description: "The order" } },
  }),
  confirm: defineOperation({
    method: "POST", path: actionPath("confirm"), tags, role: "operator",
    summary: `Confirm a pending order${conflictNote}`,
    params: orderParams,
    responses: actionResponses,
  }),
  fulfill: defineOperation({
    method: "POST", path: actionPath("fulfill"), tags, role: "operator",
    summary: `Fulfil the whole order (no items) or chosen items and quantities, with carrier and tracking${conflictNote}`,
    params: orderParams,
    body: fulfillOrderBody,
    responses: actionResponses,
  }),
  cancel: defineOperation({
    method: "POST", path: actionPath("cancel"), tags, role: "operator",
    summary: `Cancel an order; with restock, what was already fulfilled goes back to stock${conflictNote}`,
    params: orderParams,
    body: restockBody,
    responses: actionResponses,
  }),
  refund: defineOperation({
    method: "POST", path: actionPath("refund"), tags, role: "operator",
    summary: `Refund an order; with restock, what was fulfilled goes back to stock${conflictNote}`,
    params: orderParams,
    body: restockBody,
    responses: actionResponses,
  }),
};
