/**
 * The response schemas of the order operations, with the views of an order
 * and its items: only the OpenAPI document reads them (the domain lists the
 * views' fields in shared/domain/order-records.ts), so they are kept out of ./order, which the order handlers
 * import. The wiring routes documentedOrderOperations: the same operations
 * with these schemas added to their responses.
 */
import * as v from "valibot";
import type { Operation } from "../api/operation";
import { FULFILLMENT_STATUSES, IMPORT_STATUSES, ORDER_STATUSES, orderOperations, PAYMENT_STATUSES } from "./order";

const money = v.pipe(v.string(), v.description("Decimal amount in the order's currency"));
const nullableText = v.nullable(v.string());
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => v.picklist(values, `must be one of ${values.join(", ")}`);

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
  cart_token: nullableText,
  checkout_token: nullableText,
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

const actionResponse = v.object({ message: v.string(), order: v.object({ ...orderView.entries, items: v.array(orderItemView) }) });

/** The operation with `schema` describing each of its success responses. */
const documented = <O extends Operation>(operation: O, schema: v.GenericSchema): O => ({
  ...operation,
  responses: Object.fromEntries(Object.entries(operation.responses).map(([status, response]) => [status, { ...response, schema }])),
});

export const documentedOrderOperations = {
  import: documented(orderOperations.import, importResponse),
  list: documented(orderOperations.list, orderListResponse),
  get: documented(orderOperations.get, orderDetailsResponse),
  confirm: documented(orderOperations.confirm, actionResponse),
  fulfill: documented(orderOperations.fulfill, actionResponse),
  cancel: documented(orderOperations.cancel, actionResponse),
  refund: documented(orderOperations.refund, actionResponse),
} satisfies Record<keyof typeof orderOperations, Operation>;
