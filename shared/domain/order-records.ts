/**
 * An order as the hub keeps it, and the pure rules that turn an import into
 * it: amounts converted exactly into minor units of the order's own currency,
 * line items matched to the stored ones (by external_item_id, else by
 * position) so that they keep their ids, and the API's views.
 */
import { isDeepStrictEqual } from "node:util";
import { ValidationError, type FieldIssue } from "../http/errors";
import type {
  AddressInput,
  FulfillmentStatus,
  ImportOrderInput,
  ImportStatus,
  LineItemInput,
  OrderStatus,
  PaymentStatus,
} from "../schemas/order";
import type { orderItemView as orderItemViewSchema, orderView as orderViewSchema } from "../schemas/order-responses";
import { formatMinorUnits, minorOf } from "./money";
import { inOrder, type AllFieldsListed } from "./record-fields";

export interface OrderRecord {
  ecommerce_order_id: number;
  storefront_id: number;
  external_order_id: string;
  external_order_number: string | null;
  external_order_name: string | null;
  ecommerce_customer_id: number;
  customer_email: string;
  customer_first_name: string | null;
  customer_last_name: string | null;
  customer_phone: string | null;
  order_date: string;
  processed_at: string | null;
  cancelled_at: string | null;
  fulfilled_at: string | null;
  subtotal_minor: number;
  discount_minor: number;
  shipping_minor: number;
  tax_minor: number;
  total_minor: number;
  currency: string;
  shipping_address: AddressInput | null;
  billing_address: AddressInput | null;
  order_status: OrderStatus;
  payment_status: PaymentStatus;
  fulfillment_status: FulfillmentStatus;
  import_status: ImportStatus;
  shipping_method: string | null;
  shipping_carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  payment_method: string | null;
  payment_gateway: string | null;
  payment_transaction_id: string | null;
  is_test_order: boolean;
  requires_shipping: boolean;
  is_gift: boolean;
  gift_message: string | null;
  customer_note: string | null;
  /** The cart and checkout the order came from, when the platform says: they link the order to its cart. */
  cart_token: string | null;
  checkout_token: string | null;
  tags: string[];
  item_count: number;
  /** Set by the inventory processor when fulfilling the order would have taken tracked stock below zero. */
  oversold?: boolean;
  /** Quantity ordered per linked catalog product (by product id): what the order adds to the products' sales statistics. */
  product_quantities: Record<string, number>;
  /** The line totals per linked catalog product (by product id), in minor units of the order's currency: the products' revenue in analytics. */
  product_revenue_minor: Record<string, number>;
  /** The storefront's time zone when the order was imported: analytics counts the order on its order_date's day there. */
  time_zone: string;
  /** The platform's own updated_at of the import last applied; older imports are refused. */
  platform_updated_at: string | null;
  imported_at: string;
  created_at: string;
  updated_at: string;
  /** Incremented by every write: writes are conditioned on it, and stream processors order events by it. */
  version: number;
}

export interface OrderItemRecord {
  order_item_id: number;
  ecommerce_order_id: number;
  ecommerce_product_id: number | null;
  variant_id: number | null;
  external_item_id: string | null;
  external_product_id: string | null;
  external_variant_id: string | null;
  product_name: string;
  variant_name: string | null;
  sku: string | null;
  quantity: number;
  unit_price_minor: number;
  discount_minor: number;
  tax_minor: number;
  total_minor: number;
  fulfillment_status: FulfillmentStatus;
  fulfilled_quantity: number;
  /** Units given back to stock by a cancel or refund with restock (at most the fulfilled quantity). */
  restocked_quantity: number;
  weight: number | null;
  requires_shipping: boolean;
  is_taxable: boolean;
}

/** Catalog links found for a line item (by its external product and variant ids). */
export interface ItemLink {
  ecommerce_product_id: number | null;
  variant_id: number | null;
}

/** The order's fields an import sets; the rest is identity and bookkeeping. */
export type ImportedOrderFields = Omit<
  OrderRecord,
  "ecommerce_order_id" | "ecommerce_customer_id" | "cancelled_at" | "fulfilled_at" | "shipping_carrier" | "tracking_number" | "tracking_url" | "product_quantities" | "product_revenue_minor" | "imported_at" | "created_at" | "updated_at" | "version"
>;

function importedItem(input: LineItemInput, currency: string, index: number, issues: FieldIssue[]) {
  const field = (name: string) => `body.line_items.${index}.${name}`;
  const unitPrice = minorOf(input.unit_price, currency, field("unit_price"), issues);
  const discount = minorOf(input.discount_amount, currency, field("discount_amount"), issues);
  const tax = minorOf(input.tax_amount, currency, field("tax_amount"), issues);
  return {
    external_item_id: input.external_item_id ?? null,
    external_product_id: input.external_product_id ?? null,
    external_variant_id: input.external_variant_id ?? null,
    product_name: input.product_name,
    variant_name: input.variant_name ?? null,
    sku: input.sku ?? null,
    quantity: input.quantity,
    unit_price_minor: unitPrice,
    discount_minor: discount,
    tax_minor: tax,
    // Platforms send the line total; without one it is price × quantity less the discount.
    total_minor: minorOf(input.total_amount, currency, field("total_amount"), issues, unitPrice * input.quantity - discount),
    weight: input.weight ?? null,
    requires_shipping: input.requires_shipping ?? true,
    is_taxable: input.is_taxable ?? true,
  };
}
export type ImportedItem = ReturnType<typeof importedItem>;

export interface ImportedOrder {
  fields: ImportedOrderFields;
  items: ImportedItem[];
}

/** The storefront settings an import depends on. */
export interface ImportSettings {
  default_currency: string;
  timezone: string;
}

/** Converts a validated import into stored values; a 400 names every amount with more decimals than the currency has. */
export function toImportedOrder(input: ImportOrderInput, storefront: ImportSettings): ImportedOrder {
  const currency = input.currency ?? storefront.default_currency;
  const issues: FieldIssue[] = [];
  const items = input.line_items.map((item, index) => importedItem(item, currency, index, issues));
  const fields: ImportedOrderFields = {
    storefront_id: input.storefront_id,
    external_order_id: input.external_order_id,
    external_order_number: input.external_order_number ?? null,
    external_order_name: input.external_order_name ?? null,
    customer_email: input.customer_email,
    customer_first_name: input.customer_first_name ?? null,
    customer_last_name: input.customer_last_name ?? null,
    customer_phone: input.customer_phone ?? null,
    order_date: input.order_date,
    processed_at: input.processed_at ?? null,
    subtotal_minor: 0,
    discount_minor: minorOf(input.discount_amount, currency, "body.discount_amount", issues),
    shipping_minor: minorOf(input.shipping_amount, currency, "body.shipping_amount", issues),
    tax_minor: minorOf(input.tax_amount, currency, "body.tax_amount", issues),
    total_minor: 0,
    currency,
    shipping_address: input.shipping_address ?? null,
    billing_address: input.billing_address ?? null,
    order_status: input.order_status,
    payment_status: input.payment_status,
    fulfillment_status: input.fulfillment_status,
    import_status: input.import_status,
    shipping_method: input.shipping_method ?? null,
    payment_method: input.payment_method ?? null,
    payment_gateway: input.payment_gateway ?? null,
    payment_transaction_id: input.payment_transaction_id ?? null,
    is_test_order: input.is_test_order,
    requires_shipping: input.requires_shipping,
    is_gift: input.is_gift,
    gift_message: input.gift_message ?? null,
    customer_note: input.customer_note ?? null,
    cart_token: input.cart_token ?? null,
    checkout_token: input.checkout_token ?? null,
    tags: input.tags,
    item_count: items.length,
    platform_updated_at: input.updated_at ?? null,
    time_zone: storefront.timezone,
  };
  // The platform's own subtotal and total are checked for form only: the hub's are computed from the items.
  minorOf(input.subtotal_amount, currency, "body.subtotal_amount", issues);
  minorOf(input.total_amount, currency, "body.total_amount", issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return { fields: { ...fields, ...orderTotals(items, fields) }, items };
}

/**
 * An order's totals from its items: the subtotal is the sum of the line
 * totals (after line discounts); the order-level discount, shipping and tax
 * are the platform's. What the totals processor recomputes whenever items change.
 */
export function orderTotals(
  items: Pick<OrderItemRecord, "total_minor">[],
  order: Pick<OrderRecord, "discount_minor" | "shipping_minor" | "tax_minor">,
): Pick<OrderRecord, "subtotal_minor" | "total_minor"> {
  const subtotal = items.reduce((sum, item) => sum + item.total_minor, 0);
  return { subtotal_minor: subtotal, total_minor: subtotal - order.discount_minor + order.shipping_minor + order.tax_minor };
}

/** Whether an import is older than the data already applied (by the platform's updated_at). */
export function isOlderImport(stored: string | null, incoming: string | null): boolean {
  return Boolean(stored && incoming && incoming < stored);
}

/** What an order's items add to its products' sales. */
export type ProductSales = Pick<OrderRecord, "product_quantities" | "product_revenue_minor">;

export function newOrderRecord(
  identity: { ecommerce_order_id: number; ecommerce_customer_id: number },
  fields: ImportedOrderFields,
  productSales: ProductSales,
  now: string,
): OrderRecord {
  return {
    ...identity,
    ...fields,
    ...productSales,
    cancelled_at: null,
    fulfilled_at: null,
    shipping_carrier: null,
    tracking_number: null,
    tracking_url: null,
    imported_at: now,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

/** The stored order with an import's fields applied; `changed` is false for a replay. */
export function mergeImportedOrder(current: OrderRecord, fields: ImportedOrderFields & ProductSales, customerId: number, now: string) {
  // An import without updated_at does not erase the one a previous import brought.
  const incoming = { ...fields, platform_updated_at: fields.platform_updated_at ?? current.platform_updated_at };
  const merged: OrderRecord = { ...current, ...incoming, ecommerce_customer_id: customerId };
  const changed = !isDeepStrictEqual(merged, current);
  return { next: changed ? { ...merged, imported_at: now, updated_at: now, version: current.version + 1 } : current, changed };
}

/**
 * Pairs imported line items with stored ones: by external_item_id when the
 * platform sends one, else by position among the items without one. Stored
 * items left unpaired were removed from the order.
 */
export function pairItems(stored: OrderItemRecord[], imported: ImportedItem[]) {
  const byExternalId = new Map(stored.filter((item) => item.external_item_id).map((item) => [item.external_item_id!, item]));
  const anonymous = stored.filter((item) => !item.external_item_id);
  const pairs = imported.map((item) => ({
    imported: item,
    stored: item.external_item_id ? byExternalId.get(item.external_item_id) : anonymous.shift(),
  }));
  const kept = new Set(pairs.flatMap((pair) => (pair.stored ? [pair.stored.order_item_id] : [])));
  return { pairs, removed: stored.filter((item) => !kept.has(item.order_item_id)) };
}

/** An item with what the import says about it; fulfilment progress is the hub's and is kept. */
export function itemRecord(orderId: number, itemId: number, imported: ImportedItem, link: ItemLink, stored?: OrderItemRecord): OrderItemRecord {
  return {
    order_item_id: itemId,
    ecommerce_order_id: orderId,
    ...link,
    ...imported,
    fulfillment_status: stored?.fulfillment_status ?? "unfulfilled",
    fulfilled_quantity: stored?.fulfilled_quantity ?? 0,
    restocked_quantity: stored?.restocked_quantity ?? 0,
  };
}

/**
 * The fields of the API's views of an order and of an item, in the order of
 * the orderView and orderItemView schemas. Listed here rather than read from
 * the schemas so that the order functions do not bundle the response schemas;
 * the types below fail to compile when a list misses a field of its schema,
 * and a unit test checks the order.
 */
export const ORDER_VIEW_FIELDS = [
  "ecommerce_order_id",
  "storefront_id",
  "external_order_id",
  "external_order_number",
  "external_order_name",
  "ecommerce_customer_id",
  "customer_email",
  "customer_first_name",
  "customer_last_name",
  "customer_phone",
  "order_date",
  "processed_at",
  "cancelled_at",
  "fulfilled_at",
  "subtotal_amount",
  "discount_amount",
  "shipping_amount",
  "tax_amount",
  "total_amount",
  "currency",
  "shipping_address",
  "billing_address",
  "order_status",
  "payment_status",
  "fulfillment_status",
  "import_status",
  "shipping_method",
  "shipping_carrier",
  "tracking_number",
  "tracking_url",
  "payment_method",
  "payment_gateway",
  "payment_transaction_id",
  "is_test_order",
  "requires_shipping",
  "is_gift",
  "gift_message",
  "customer_note",
  "cart_token",
  "checkout_token",
  "tags",
  "item_count",
  "oversold",
  "imported_at",
  "created_at",
  "updated_at",
] as const satisfies readonly OrderViewField[];

export const ITEM_VIEW_FIELDS = [
  "order_item_id",
  "ecommerce_order_id",
  "ecommerce_product_id",
  "variant_id",
  "external_item_id",
  "external_product_id",
  "external_variant_id",
  "product_name",
  "variant_name",
  "sku",
  "quantity",
  "unit_price",
  "discount_amount",
  "tax_amount",
  "total_amount",
  "fulfillment_status",
  "fulfilled_quantity",
  "restocked_quantity",
  "weight",
  "requires_shipping",
  "is_taxable",
] as const satisfies readonly ItemViewField[];

type OrderViewField = keyof (typeof orderViewSchema)["entries"];
type ItemViewField = keyof (typeof orderItemViewSchema)["entries"];
const everyOrderFieldListed: AllFieldsListed<typeof orderViewSchema, typeof ORDER_VIEW_FIELDS> = true;
const everyItemFieldListed: AllFieldsListed<typeof orderItemViewSchema, typeof ITEM_VIEW_FIELDS> = true;

export function orderView(order: OrderRecord) {
  const { subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, ...fields } = order;
  const money = (minor: number) => formatMinorUnits(minor, order.currency);
  return inOrder(ORDER_VIEW_FIELDS, {
    ...fields,
    subtotal_amount: money(subtotal_minor),
    discount_amount: money(discount_minor),
    shipping_amount: money(shipping_minor),
    tax_amount: money(tax_minor),
    total_amount: money(total_minor),
  });
}

export function orderItemView(item: OrderItemRecord, currency: string) {
  const { unit_price_minor, discount_minor, tax_minor, total_minor, ...fields } = item;
  const money = (minor: number) => formatMinorUnits(minor, currency);
  return inOrder(ITEM_VIEW_FIELDS, {
    ...fields,
    unit_price: money(unit_price_minor),
    discount_amount: money(discount_minor),
    tax_amount: money(tax_minor),
    total_amount: money(total_minor),
  });
}

export const customerNameOf = (order: Pick<OrderRecord, "customer_first_name" | "customer_last_name" | "customer_email">): string =>
  [order.customer_first_name, order.customer_last_name].filter(Boolean).join(" ") || order.customer_email;
