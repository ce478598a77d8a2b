import * as v from "valibot";
import { currencyCode, idParam, intParam, optionalText, positiveId, text } from "./common";
import { amount, externalId, MAX_PAGE_DEPTH, platformTimestamp, quantity } from "./product";
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
const email = v.pipe(v.string(), v.trim(), v.maxLength(320, "must have at most 320 characters"), v.email("must be an email address"));

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
  tags: v.optional(v.pipe(v.array(text(100, 1), "must be a list"), v.maxLength(50, "must have at most 50 tags")), []),
  line_items: v.pipe(
    v.array(lineItem, "must be a list of line items"),
    v.minLength(1, "must have at least one line item"),
    v.maxLength(MAX_LINE_ITEMS, `must have at most ${MAX_LINE_ITEMS} line items`),
  ),
  updated_at: v.optional(v.pipe(platformTimestamp, v.description("The platform's own last-modified time; an import older than the stored one is not applied"))),
});
export type ImportOrderInput = v.InferOutput<typeof importOrderBody>;

/** A date (the whole day) or a timestamp. */
const dateBound = v.pipe(
  v.string(),
  v.check((value) => /^\d{4}-\d{2}-\d{2}($|T)/.test(value) && Number.isFinite(Date.parse(value)), "must be a date (2024-12-01) or an ISO 8601 timestamp"),
);

export const listOrdersQuery = v.pipe(
  v.object({
    storefront_id: v.optional(idParam),
    order_status: v.optional(oneOf(ORDER_STATUSES)),
    payment_status: v.optional(oneOf(PAYMENT_STATUSES)),
    fulfillment_status: v.optional(oneOf(FULFILLMENT_STATUSES)),
    import_status: v.optional(oneOf(IMPORT_STATUSES)),
    from_date: v.optional(dateBound),
    to_date: v.optional(dateBound),
    page: v.optional(intParam(1, MAX_PAGE_DEPTH)),
    limit: v.optional(intParam(1, 200), "50"),
    cursor: v.optional(v.string()),
  }),
  v.forward(
    v.check((query) => query.page === undefined || query.cursor === undefined, "cannot be combined with cursor"),
    ["page"],
  ),
  v.forward(
    v.check((query) => (query.page ?? 1) * query.limit <= MAX_PAGE_DEPTH, `page × limit must be at most ${MAX_PAGE_DEPTH}; use cursor to go further`),
    ["page"],
  ),
);
export type ListOrdersQuery = v.InferOutput<typeof listOrdersQuery>;

export const orderParams = v.object({ id: idParam });

const money = v.pipe(v.string(), v.description("Decimal amount in the order's currency"));
const nullableText = v.nullable(v.string());

export const orderItemView = v.object({
  order_item_id: v.number(),
  ecommerce_order_id: v.number(),
  ecommerce_product_id: v.nullable(v.number()),
  variant_id: v.nullable(v.number()),
  external_item_id: nullableText,
  external_product_id: nullableText,
  external_variant_id: nullableText,
  product_name: v.string(),
  variant_name: nullableText,
  sku: nullableText,
  quantity: v.number(),
  unit_price: money,
  discount_amount: money,
  tax_amount: money,
  total_amount: money,
  fulfillment_status: oneOf(FULFILLMENT_STATUSES),
  fulfilled_quantity: v.number(),
  restocked_quantity: v.number(),
  weight: v.nullable(v.number()),
  requires_shipping: v.boolean(),
  is_taxable: v.boolean(),
});

export const orderView = v.object({
  ecommerce_order_id: v.number(),
  storefront_id: v.number(),
  external_order_id: v.string(),
  external_order_number: nullableText,
  external_order_name: nullableText,
  ecommerce_customer_id: v.number(),
  customer_email: v.string(),
  customer_first_name: nullableText,
  customer_last_name: nullableText,
  customer_phone: nullableText,
  order_date: v.string(),
  processed_at: nullableText,
  cancelled_at: nullableText,
  fulfilled_at: nullableText,
  subtotal_amount: money,
  discount_amount: money,
  shipping_amount: money,
  tax_amount: money,
  total_amount: money,
  currency: v.string(),
  shipping_address: v.nullable(v.looseObject({})),
  billing_address: v.nullable(v.looseObject({})),
  order_status: oneOf(ORDER_STATUSES),
  payment_status: oneOf(PAYMENT_STATUSES),
  fulfillment_status: oneOf(FULFILLMENT_STATUSES),
  import_status: oneOf(IMPORT_STATUSES),
  shipping_method: nullableText,
  shipping_carrier: nullableText,
  tracking_number: nullableText,
  tracking_url: nullableText,
  payment_method: nullableText,
  payment_gateway: nullableText,
  payment_transaction_id: nullableText,
  is_test_order: v.boolean(),
  requires_shipping: v.boolean(),
  is_gift: v.boolean(),
  gift_message: nullableText,
  customer_note: nullableText,
  tags: v.array(v.string()),
  item_count: v.number(),
  oversold: v.pipe(v.optional(v.boolean()), v.description("true when fulfilling took more than the tracked stock held; the stock was left as it was")),
  imported_at: v.string(),
  created_at: v.string(),
  updated_at: v.string(),
});

const importResponse = v.object({
  message: v.string(),
  action: v.picklist(["created", "updated"]),
  changed: v.pipe(v.boolean(), v.description("false when the import matched the stored order (a replay) or was stale")),
  stale: v.pipe(v.boolean(), v.description("true when the import's updated_at is older than the stored one: nothing was written")),
  order: v.object({ ...orderView.entries, items: v.array(orderItemView) }),
});

const orderSummaryView = v.object({
  ecommerce_order_id: v.number(),
  external_order_id: v.string(),
  external_order_number: nullableText,
  customer_name: v.string(),
  customer_email: v.string(),
  total_amount: money,
  currency: v.string(),
  order_status: oneOf(ORDER_STATUSES),
  payment_status: oneOf(PAYMENT_STATUSES),
  fulfillment_status: oneOf(FULFILLMENT_STATUSES),
  import_status: oneOf(IMPORT_STATUSES),
  storefront_id: v.number(),
  storefront_name: v.string(),
  item_count: v.number(),
  order_date: v.string(),
});

export const orderStatisticsView = v.object({
  total_orders: v.number(),
  currency: v.pipe(v.string(), v.description("The currency of total_revenue and average_order_value: the storefronts' default currency (when they differ, the one with most sales)")),
  total_revenue: v.pipe(v.string(), v.description("Revenue in `currency` (see revenue_by_currency for the others)")),
  revenue_by_currency: v.record(v.string(), v.string()),
  average_order_value: v.string(),
  pending_orders: v.number(),
  fulfilled_orders: v.number(),
  paid_orders: v.number(),
  pending_import: v.number(),
  oversold_orders: v.pipe(v.number(), v.description("Orders whose fulfilment would have taken tracked stock below zero")),
});

const orderListResponse = v.object({
  orders: v.array(orderSummaryView),
  pagination: v.object({
    page: v.pipe(v.nullable(v.number()), v.description("null when paging by cursor")),
    limit: v.number(),
    total: v.pipe(v.nullable(v.number()), v.description("Orders matching the filters when one counter covers them; null otherwise")),
    totalPages: v.nullable(v.number()),
  }),
  next_cursor: v.nullable(v.string()),
  statistics: v.pipe(orderStatisticsView, v.description("Counters of the storefronts listed (all those the key may read when storefront_id is absent); the other filters do not apply")),
});

const orderDetailsResponse = v.object({
  order: v.object({
    ...orderView.entries,
    storefront_name: v.string(),
    items: v.array(orderItemView),
    payments: v.array(v.looseObject({})),
    customer: v.nullable(v.looseObject({})),
  }),
});

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
const actionResponse = v.object({ message: v.string(), order: v.object({ ...orderView.entries, items: v.array(orderItemView) }) });
const actionResponses = { 200: { description: "Done", schema: actionResponse } };
const actionPath = (name: string) => `/api/ecommerce/orders/{id}/${name}`;
const conflictNote = "; 409 invalid_transition when the order's status does not allow it";

export const orderOperations = {
  import: defineOperation({
    method: "POST", path: "/api/ecommerce/orders", tags, role: "operator",
    summary: "Import an order by (storefront_id, external_order_id): creates it or updates it; replays change nothing and older updates are not applied",
    body: importOrderBody,
    responses: {
      201: { description: "Created", schema: importResponse },
      200: { description: "Updated, unchanged (replay) or stale", schema: importResponse },
    },
  }),
  list: defineOperation({
    method: "GET", path: "/api/ecommerce/orders", tags, role: "viewer",
    summary: `List orders newest first (one storefront's, or every storefront's the key may read), with filters and statistics; page with next_cursor (page=N is limited to page × limit <= ${MAX_PAGE_DEPTH})`,
    query: listOrdersQuery,
    responses: { 200: { description: "Orders", schema: orderListResponse } },
  }),
  get: defineOperation({
    method: "GET", path: "/api/ecommerce/orders/{id}", tags, role: "viewer",
    summary: "Read an order with its items, payments and customer",
    params: orderParams,
    responses: { 200: { description: "The order", schema: orderDetailsResponse } },
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
