/**
 * The orders' aggregates: what one order adds to its storefront's
 * STATS#ORDERS counters and to its products' sales statistics. Stream
 * processors apply the difference between an order's old and new
 * contribution, so the counters follow every import and status change
 * without reading the orders.
 */
import type { FulfillmentStatus, ImportStatus, OrderStatus, PaymentStatus } from "../schemas/order";

/** Order statuses whose orders are not sales: they count as orders, never as revenue or spend. */
const NOT_SOLD_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(["cancelled", "refunded"]);
/** Payment statuses under which the money went back or was never taken. */
const NOT_SOLD_PAYMENT_STATUSES: ReadonlySet<PaymentStatus> = new Set(["refunded", "voided"]);

/** The order fields the aggregates depend on. */
export interface CountedOrder {
  storefront_id: number;
  currency: string;
  total_minor: number;
  order_status: OrderStatus;
  payment_status: PaymentStatus;
  fulfillment_status: FulfillmentStatus;
  import_status: ImportStatus;
  is_test_order: boolean;
  product_quantities: Record<string, number>;
  oversold?: boolean;
}

/** Whether an order counts toward revenue, customer spend and product sales. */
export function countsAsSale(order: Pick<CountedOrder, "order_status" | "payment_status" | "is_test_order">): boolean {
  return !order.is_test_order && !NOT_SOLD_ORDER_STATUSES.has(order.order_status) && !NOT_SOLD_PAYMENT_STATUSES.has(order.payment_status);
}

/** Quantity and line totals per linked product of some line items. */
export function productSalesOf(items: { ecommerce_product_id: number | null; quantity: number; total_minor: number }[]) {
  const product_quantities: Record<string, number> = {};
  const product_revenue_minor: Record<string, number> = {};
  for (const item of items) {
    if (item.ecommerce_product_id === null) continue;
    const key = String(item.ecommerce_product_id);
    product_quantities[key] = (product_quantities[key] ?? 0) + item.quantity;
    product_revenue_minor[key] = (product_revenue_minor[key] ?? 0) + item.total_minor;
  }
  return { product_quantities, product_revenue_minor };
}

/** Changes to one counter item: top-level numbers, and numbers inside maps keyed by currency. */
export interface CounterChange {
  add: Record<string, number>;
  /** Map attribute -> key -> amount. */
  addInMap: Record<string, Record<string, number>>;
}

export const emptyChange = (): CounterChange => ({ add: {}, addInMap: {} });

/** The counter attribute of each status kind on STATS#ORDERS (e.g. status_pending, payment_paid). */
export const statusCounter = {
  order: (status: OrderStatus) => `status_${status}`,
  payment: (status: PaymentStatus) => `payment_${status}`,
  fulfillment: (status: FulfillmentStatus) => `fulfillment_${status}`,
  import: (status: ImportStatus) => `import_${status}`,
};

function storefrontContribution(order: CountedOrder, sign: number, change: CounterChange): void {
  const add = (attribute: string, amount: number) => {
    change.add[attribute] = (change.add[attribute] ?? 0) + sign * amount;
  };
  const addInMap = (map: string, key: string, amount: number) => {
    const entries = (change.addInMap[map] ??= {});
    entries[key] = (entries[key] ?? 0) + sign * amount;
  };
  add("order_count", 1);
  add(statusCounter.order(order.order_status), 1);
  add(statusCounter.payment(order.payment_status), 1);
  add(statusCounter.fulfillment(order.fulfillment_status), 1);
  add(statusCounter.import(order.import_status), 1);
  if (order.oversold) add("oversold_count", 1);
  if (countsAsSale(order)) {
    addInMap("revenue_minor", order.currency, order.total_minor);
    addInMap("sale_count", order.currency, 1);
  }
}

function withoutZeros(change: CounterChange): CounterChange {
  const add = Object.fromEntries(Object.entries(change.add).filter(([, amount]) => amount !== 0));
  const addInMap: CounterChange["addInMap"] = {};
  for (const [map, entries] of Object.entries(change.addInMap)) {
    const kept = Object.fromEntries(Object.entries(entries).filter(([, amount]) => amount !== 0));
    if (Object.keys(kept).length > 0) addInMap[map] = kept;
  }
  return { add, addInMap };
}

export const isEmptyChange = (change: CounterChange): boolean => Object.keys(change.add).length === 0 && Object.keys(change.addInMap).length === 0;

export interface OrderDeltas {
  storefronts: Map<number, CounterChange>;
  /** Product id -> changes of order_count and total_quantity_sold. */
  products: Map<number, Record<string, number>>;
}

/** The difference between an order's contribution before and after a change (`undefined` = not there). */
export function orderDeltas(before: CountedOrder | undefined, after: CountedOrder | undefined): OrderDeltas {
  const storefronts = new Map<number, CounterChange>();
  const products = new Map<number, Record<string, number>>();
  const apply = (order: CountedOrder, sign: number) => {
    const change = storefronts.get(order.storefront_id) ?? emptyChange();
    storefrontContribution(order, sign, change);
    storefronts.set(order.storefront_id, change);
    if (!countsAsSale(order)) return;
    for (const [productId, quantity] of Object.entries(order.product_quantities)) {
      const stats = products.get(Number(productId)) ?? {};
      stats.order_count = (stats.order_count ?? 0) + sign;
      stats.total_quantity_sold = (stats.total_quantity_sold ?? 0) + sign * quantity;
      products.set(Number(productId), stats);
    }
  };
  if (before) apply(before, -1);
  if (after) apply(after, 1);
  for (const [id, change] of storefronts) {
    const kept = withoutZeros(change);
    if (isEmptyChange(kept)) storefronts.delete(id);
    else storefronts.set(id, kept);
  }
  for (const [id, stats] of products) {
    const kept = Object.fromEntries(Object.entries(stats).filter(([, amount]) => amount !== 0));
    if (Object.keys(kept).length === 0) products.delete(id);
    else products.set(id, kept);
  }
  return { storefronts, products };
}
