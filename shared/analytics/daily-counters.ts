/**
 * What one order or one cart adds to its storefront's daily counters, on the
 * days its events fell on in the storefront's time zone. The stream processor
 * applies the difference between a record's contribution after a change and
 * before it, so the counters follow every import, status change and
 * conversion without reading the orders; `npm run reconcile` sums the
 * contributions of every record to check them.
 *
 * Counter names (top-level attributes of one item per storefront and day, so
 * that every change is a plain ADD):
 * - orders: orders, fulfilled, cancelled, paid, pending_payment; per currency
 *   `sales#<CUR>` (orders that are sales) and `revenue#<CUR>` (their totals);
 *   per product `p#<id>#q` (units), `p#<id>#o` (orders) and `p#<id>#r#<CUR>`
 *   (revenue). Product counters are short-named and kept in an item of their
 *   own (PRODUCTS#<day>), so that the previous period, read for growth only,
 *   costs the same whatever the catalog.
 * - carts: carts_created (on the day created), carts_converted (on the day an
 *   order completed it); and, on the day a cart was abandoned (the abandoned
 *   carts of a period are those abandoned in it): abandoned, `abandoned#<CUR>`
 *   and `abandoned_value#<CUR>`, `still_abandoned` and
 *   `still_abandoned_value#<CUR>`, emailed (carts sent a recovery email),
 *   emails, recovered and `recovered_revenue#<CUR>`.
 */
import type { CartStatus } from "../schemas/cart";
import type { FulfillmentStatus, OrderStatus, PaymentStatus } from "../schemas/order";
import { countsAsSale } from "../domain/order-counters";
import { localDate } from "../domain/local-dates";

/** Counter name -> amount. */
export type Counters = Record<string, number>;
/** "<storefront id>|<YYYY-MM-DD>" -> counters. */
export type DailyCounters = Map<string, Counters>;

export const dayBucket = (storefrontId: number, date: string) => `${storefrontId}|${date}`;
export function parseDayBucket(bucket: string): { storefrontId: number; date: string } {
  const [storefrontId, date] = bucket.split("|");
  return { storefrontId: Number(storefrontId), date: date! };
}

export const counterName = {
  sales: (currency: string) => `sales#${currency}`,
  revenue: (currency: string) => `revenue#${currency}`,
  productQuantity: (productId: string | number) => `p#${productId}#q`,
  productOrders: (productId: string | number) => `p#${productId}#o`,
  productRevenue: (productId: string | number, currency: string) => `p#${productId}#r#${currency}`,
  abandoned: (currency: string) => `abandoned#${currency}`,
  abandonedValue: (currency: string) => `abandoned_value#${currency}`,
  stillAbandonedValue: (currency: string) => `still_abandoned_value#${currency}`,
  recoveredRevenue: (currency: string) => `recovered_revenue#${currency}`,
};

/** The order fields the daily counters depend on. */
export interface DailyOrder {
  storefront_id: number;
  order_date: string;
  time_zone: string;
  currency: string;
  total_minor: number;
  order_status: OrderStatus;
  payment_status: PaymentStatus;
  fulfillment_status: FulfillmentStatus;
  is_test_order: boolean;
  ecommerce_customer_id: number;
  product_quantities: Record<string, number>;
  product_revenue_minor: Record<string, number>;
}

/** The cart fields the daily counters depend on. */
export interface DailyCart {
  storefront_id: number;
  time_zone: string;
  currency: string;
  total_minor: number;
  cart_status: CartStatus;
  was_abandoned: boolean;
  abandoned_at: string | null;
  converted_at: string | null;
  created_at: string;
  recovery_email_count: number;
  recovered_revenue_minor: number;
  recovered_currency: string | null;
}

function collector(out: DailyCounters, storefrontId: number) {
  return (date: string, name: string, amount: number) => {
    if (amount === 0) return;
    const bucket = dayBucket(storefrontId, date);
    const counters = out.get(bucket) ?? {};
    counters[name] = (counters[name] ?? 0) + amount;
    out.set(bucket, counters);
  };
}

/** Test orders are left out of analytics altogether. */
export function orderDailyContribution(order: DailyOrder, out: DailyCounters = new Map()): DailyCounters {
  if (order.is_test_order) return out;
  const add = collector(out, order.storefront_id);
  const day = localDate(order.order_date, order.time_zone);
  add(day, "orders", 1);
  add(day, "fulfilled", order.fulfillment_status === "fulfilled" ? 1 : 0);
  add(day, "cancelled", order.order_status === "cancelled" ? 1 : 0);
  add(day, "paid", order.payment_status === "paid" ? 1 : 0);
  add(day, "pending_payment", order.payment_status === "pending" ? 1 : 0);
  if (!countsAsSale(order)) return out;
  add(day, counterName.sales(order.currency), 1);
  add(day, counterName.revenue(order.currency), order.total_minor);
  for (const [productId, quantity] of Object.entries(order.product_quantities)) {
    add(day, counterName.productQuantity(productId), quantity);
    add(day, counterName.productOrders(productId), 1);
    add(day, counterName.productRevenue(productId, order.currency), order.product_revenue_minor[productId] ?? 0);
  }
  return out;
}

export function cartDailyContribution(cart: DailyCart, out: DailyCounters = new Map()): DailyCounters {
  const add = collector(out, cart.storefront_id);
  add(localDate(cart.created_at, cart.time_zone), "carts_created", 1);
  const converted = cart.cart_status === "converted" || cart.cart_status === "recovered";
  if (converted && cart.converted_at) add(localDate(cart.converted_at, cart.time_zone), "carts_converted", 1);
  if (!cart.was_abandoned || !cart.abandoned_at) return out;
  const day = localDate(cart.abandoned_at, cart.time_zone);
  const still = cart.cart_status === "abandoned";
  add(day, "abandoned", 1);
  add(day, counterName.abandoned(cart.currency), 1);
  add(day, counterName.abandonedValue(cart.currency), cart.total_minor);
  add(day, "still_abandoned", still ? 1 : 0);
  add(day, counterName.stillAbandonedValue(cart.currency), still ? cart.total_minor : 0);
  add(day, "emailed", cart.recovery_email_count > 0 ? 1 : 0);
  add(day, "emails", cart.recovery_email_count);
  if (cart.cart_status === "recovered") {
    add(day, "recovered", 1);
    add(day, counterName.recoveredRevenue(cart.recovered_currency ?? cart.currency), cart.recovered_revenue_minor);
  }
  return out;
}

/** Product counters go to the day's PRODUCTS item, the others to its DAY item. */
export const isProductCounter = (name: string) => name.startsWith("p#");

/** after - before per bucket, without zeros. */
export function dailyDeltas(before: DailyCounters, after: DailyCounters): DailyCounters {
  const deltas: DailyCounters = new Map();
  const apply = (contribution: DailyCounters, sign: number) => {
    for (const [bucket, counters] of contribution) {
      const entry = deltas.get(bucket) ?? {};
      for (const [name, amount] of Object.entries(counters)) entry[name] = (entry[name] ?? 0) + sign * amount;
      deltas.set(bucket, entry);
    }
  };
  apply(before, -1);
  apply(after, 1);
  for (const [bucket, counters] of deltas) {
    for (const [name, amount] of Object.entries(counters)) if (amount === 0) delete counters[name];
    if (Object.keys(counters).length === 0) deltas.delete(bucket);
  }
  return deltas;
}

/** The (storefront, day, customer) an order counts a customer on: the day of a sale. */
export function orderCustomerDay(order: DailyOrder): { bucket: string; customerId: number } | undefined {
  if (!countsAsSale(order)) return undefined;
  return { bucket: dayBucket(order.storefront_id, localDate(order.order_date, order.time_zone)), customerId: order.ecommerce_customer_id };
}

/** Reads a stored order (or its stream image) as the daily counters see it; records older than the time zone field count in UTC. */
export function dailyOrderOf(item: Record<string, unknown>): DailyOrder {
  return {
    storefront_id: Number(item.storefront_id),
    order_date: String(item.order_date),
    time_zone: typeof item.time_zone === "string" ? item.time_zone : "UTC",
    currency: String(item.currency),
    total_minor: Number(item.total_minor ?? 0),
    order_status: item.order_status as OrderStatus,
    payment_status: item.payment_status as PaymentStatus,
    fulfillment_status: item.fulfillment_status as FulfillmentStatus,
    is_test_order: item.is_test_order === true,
    ecommerce_customer_id: Number(item.ecommerce_customer_id),
    product_quantities: (item.product_quantities as Record<string, number> | undefined) ?? {},
    product_revenue_minor: (item.product_revenue_minor as Record<string, number> | undefined) ?? {},
  };
}

export function dailyCartOf(item: Record<string, unknown>): DailyCart {
  return {
    storefront_id: Number(item.storefront_id),
    time_zone: typeof item.time_zone === "string" ? item.time_zone : "UTC",
    currency: String(item.currency),
    total_minor: Number(item.total_minor ?? 0),
    cart_status: item.cart_status as CartStatus,
    was_abandoned: item.was_abandoned === true,
    abandoned_at: typeof item.abandoned_at === "string" ? item.abandoned_at : null,
    converted_at: typeof item.converted_at === "string" ? item.converted_at : null,
    created_at: String(item.created_at),
    recovery_email_count: Number(item.recovery_email_count ?? 0),
    recovered_revenue_minor: Number(item.recovered_revenue_minor ?? 0),
    recovered_currency: typeof item.recovered_currency === "string" ? item.recovered_currency : null,
  };
}

/** What a customer record adds to its storefront's STATS#CUSTOMERS counters. */
export function customerContribution(item: Record<string, unknown>): { storefrontId: number; counters: Counters } {
  return { storefrontId: Number(item.storefront_id), counters: { customers: 1, buyers: Number(item.total_orders ?? 0) > 0 ? 1 : 0 } };
}
